# Installing and releasing ges-backups (docs/install.md).
#
#   make install PREFIX=DIR [DESTDIR=STAGE]   C library, header, pkg-config files, binaries
#   make dist [GES_GPG_KEY=KEYID]             one release in dist/, signed with KEYID if given
#   make install-provider                     the provider in Terraform's and OpenTofu's local mirrors
#
# Conventions follow cargo-c: the shared library's file name carries the
# release (libges_backups.so.X.Y.Z), its SONAME the C ABI version
# (libges_backups.so.1, set by build.rs), and the .pc files locate the prefix
# from their own place (${pcfiledir}), so an installed tree can be moved.

CARGO   ?= cargo
PREFIX  ?= /usr/local
DESTDIR ?=
STRIP   ?= strip

VERSION := $(shell sed -n '/^\[workspace.package\]/,/^\[/s/^version *= *"\(.*\)"/\1/p' Cargo.toml)
ABI     := $(shell sed -n 's/^pub const GES_ABI_VERSION: u32 = \([0-9]*\);/\1/p' src/ffi/mod.rs)
RELEASE := target/release
ROOT    := $(DESTDIR)$(PREFIX)
LIBDIR  := $(ROOT)/lib
DIST    := dist
TRIPLE  := linux_amd64

# What the Rust static library needs from the system (cargo's
# native-static-libs), without -lgcc_s: the C compiler driver adds libgcc
# itself, and a hard-coded -lgcc_s breaks a fully static link.
STATIC_SYSTEM_LIBS := -lpthread -ldl -lm -lrt -lutil -lc

# The release build (make dist): every Rust artefact linked by zig against
# glibc 2.17's symbol versions (cargo-zigbuild), so that it runs on any x86-64
# Linux with glibc 2.17 or later, as the Python wheel does. The tools are the
# pinned cargo-zigbuild and ziglang that bindings/python/dist.sh installs into
# its venv (GES_PY_TOOLS, its default); the target directory is the wheel's
# (its default too), so that the library, the CLI, the emulator and the wheel
# share their dependencies' builds.
GLIBC          := 2.17
GLIBC_TRIPLE   := x86_64-unknown-linux-gnu
GES_PY_TOOLS   ?= $(CURDIR)/target/py-tools
GLIBC_TARGET   := $(CURDIR)/target/python
GLIBC_RELEASE  := $(GLIBC_TARGET)/$(GLIBC_TRIPLE)/release
# The venv's zig, for the shell: the venv exists once bindings/python/dist.sh ran.
ZIG             = $$($(GES_PY_TOOLS)/bin/python -c 'import os, ziglang; print(os.path.join(os.path.dirname(ziglang.__file__), "zig"))')
PACKAGES       := -p ges-backups -p ges-emulator -p ges-backups-cli

# What `install` installs: the host build (target/release); make dist installs
# the glibc 2.17 build instead (INSTALL_BUILD=build-glibc RELEASE=$(GLIBC_RELEASE)).
INSTALL_BUILD  := build

# make dist GES_GPG_KEY=KEYID: detached binary signatures (the Terraform
# registry's format) by that key of the caller's GnuPG keyring.
GES_GPG_KEY    ?=
GPG            ?= gpg

.PHONY: build build-glibc install uninstall dist install-provider clean-dist

build:
	$(CARGO) build --release --locked $(PACKAGES)

build-glibc:
	CARGO_ZIGBUILD_ZIG_PATH="$(ZIG)" CARGO_TARGET_DIR=$(GLIBC_TARGET) \
	  $(GES_PY_TOOLS)/bin/cargo-zigbuild zigbuild --release --locked --target $(GLIBC_TRIPLE).$(GLIBC) $(PACKAGES)

# make -s print-ZIG: a variable's value (tests/install/dist.sh links with this zig).
print-%:
	@echo "$($*)"

install: $(INSTALL_BUILD)
	install -d $(LIBDIR)/pkgconfig $(ROOT)/include $(ROOT)/bin
	install -m 755 $(RELEASE)/libges_backups.so $(LIBDIR)/libges_backups.so.$(VERSION)
	$(STRIP) --strip-unneeded $(LIBDIR)/libges_backups.so.$(VERSION)
	ln -sf libges_backups.so.$(VERSION) $(LIBDIR)/libges_backups.so.$(ABI)
	ln -sf libges_backups.so.$(ABI) $(LIBDIR)/libges_backups.so
	install -m 644 $(RELEASE)/libges_backups.a $(LIBDIR)/libges_backups.a
	$(STRIP) --strip-debug $(LIBDIR)/libges_backups.a
	install -m 644 include/ges_backups.h $(ROOT)/include/ges_backups.h
	install -m 755 $(RELEASE)/ges-backups $(RELEASE)/ges-emulator $(ROOT)/bin/
	$(STRIP) $(ROOT)/bin/ges-backups $(ROOT)/bin/ges-emulator
	$(RELEASE)/ges-backups manpage > $(RELEASE)/ges-backups.1
	install -D -m 644 $(RELEASE)/ges-backups.1 $(ROOT)/share/man/man1/ges-backups.1
	$(call pkg_config,ges_backups,-L$${libdir} -lges_backups,$(STATIC_SYSTEM_LIBS)) > $(LIBDIR)/pkgconfig/ges_backups.pc
	$(call pkg_config,ges_backups_static,$${libdir}/libges_backups.a $(STATIC_SYSTEM_LIBS),) > $(LIBDIR)/pkgconfig/ges_backups_static.pc

uninstall:
	rm -f $(LIBDIR)/libges_backups.so.$(VERSION) $(LIBDIR)/libges_backups.so.$(ABI) \
	  $(LIBDIR)/libges_backups.so $(LIBDIR)/libges_backups.a $(ROOT)/include/ges_backups.h \
	  $(LIBDIR)/pkgconfig/ges_backups.pc $(LIBDIR)/pkgconfig/ges_backups_static.pc \
	  $(ROOT)/bin/ges-backups $(ROOT)/bin/ges-emulator \
	  $(ROOT)/share/man/man1/ges-backups.1

# pkg_config NAME LIBS LIBS_PRIVATE: a relocatable .pc file on stdout.
define pkg_config
	printf '%s\n' \
	  'prefix=$${pcfiledir}/../..' \
	  'libdir=$${prefix}/lib' \
	  'includedir=$${prefix}/include' \
	  '' \
	  'Name: $(1)' \
	  'Description: Huawei Cloud GES backups client (C ABI $(ABI))' \
	  'Version: $(VERSION)' \
	  'Libs: $(2)' \
	  'Libs.private: $(3)' \
	  'Cflags: -I$${includedir}'
endef

# One release: the Python wheel and sdist (whose script installs the zig
# tools), the C library as a tarball of an installed prefix, the CLI and
# emulator binaries, the provider's registry files (linked with that prefix's
# static library by zig, against glibc 2.17 too), the checksums and, with
# GES_GPG_KEY, their signatures and the public key.
STAGE := $(CURDIR)/$(DIST)/stage/ges-backups-$(VERSION)-$(TRIPLE)
PROVIDER_SUMS := terraform-provider-ges_$(VERSION)_SHA256SUMS
SIGNING_KEY := ges-backups_$(VERSION)_signing-key.asc

dist: clean-dist
	GES_PY_TOOLS=$(GES_PY_TOOLS) CARGO_TARGET_DIR=$(GLIBC_TARGET) bindings/python/dist.sh $(CURDIR)/$(DIST)
	$(MAKE) install INSTALL_BUILD=build-glibc RELEASE=$(GLIBC_RELEASE) DESTDIR= PREFIX=$(STAGE)
	tar -C $(DIST)/stage -czf $(DIST)/ges-backups-$(VERSION)-$(TRIPLE).tar.gz ges-backups-$(VERSION)-$(TRIPLE)
	cp $(STAGE)/bin/ges-backups $(DIST)/ges-backups_$(VERSION)_$(TRIPLE)
	cp $(STAGE)/bin/ges-emulator $(DIST)/ges-emulator_$(VERSION)_$(TRIPLE)
	GES_PREFIX=$(STAGE) GES_ZIG="$(ZIG)" GES_GLIBC=$(GLIBC) bindings/terraform/dist.sh $(CURDIR)/$(DIST)
	rm -rf $(DIST)/stage
ifneq ($(GES_GPG_KEY),)
	$(call sign,$(PROVIDER_SUMS))
	$(GPG) --batch --armor --export --output $(DIST)/$(SIGNING_KEY) "$(GES_GPG_KEY)"
	test -s $(DIST)/$(SIGNING_KEY) || { echo "no public key $(GES_GPG_KEY) to export" >&2; exit 1; }
endif
	cd $(DIST) && sha256sum $$(ls | grep -v '^SHA256SUMS$$') > SHA256SUMS
ifneq ($(GES_GPG_KEY),)
	$(call sign,SHA256SUMS)
endif

# sign FILE: FILE.sig in dist/, a detached binary signature by GES_GPG_KEY.
define sign
	$(GPG) --batch --yes --local-user "$(GES_GPG_KEY)" --detach-sign --output $(DIST)/$(1).sig $(DIST)/$(1)
endef

clean-dist:
	rm -rf $(DIST)

install-provider:
	bindings/terraform/install_provider.sh
