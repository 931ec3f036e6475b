# Installing and releasing ges-backups (docs/install.md).
#
#   make install PREFIX=DIR [DESTDIR=STAGE]   C library, header, pkg-config files, binaries
#   make dist                                 one release in dist/
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

.PHONY: build install uninstall dist install-provider clean-dist

build:
	$(CARGO) build --release --locked -p ges-backups -p ges-emulator -p ges-backups-cli

install: build
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

# One release: the C library as a tarball of an installed prefix, the CLI and
# emulator binaries, the Python wheel and sdist, the provider's registry files.
dist: clean-dist
	$(MAKE) install DESTDIR= PREFIX=$(CURDIR)/$(DIST)/stage/ges-backups-$(VERSION)-$(TRIPLE)
	tar -C $(DIST)/stage -czf $(DIST)/ges-backups-$(VERSION)-$(TRIPLE).tar.gz ges-backups-$(VERSION)-$(TRIPLE)
	cp $(DIST)/stage/ges-backups-$(VERSION)-$(TRIPLE)/bin/ges-backups $(DIST)/ges-backups_$(VERSION)_$(TRIPLE)
	cp $(DIST)/stage/ges-backups-$(VERSION)-$(TRIPLE)/bin/ges-emulator $(DIST)/ges-emulator_$(VERSION)_$(TRIPLE)
	rm -rf $(DIST)/stage
	bindings/python/dist.sh $(CURDIR)/$(DIST)
	bindings/terraform/dist.sh $(CURDIR)/$(DIST)
	cd $(DIST) && sha256sum $$(ls | grep -v '^SHA256SUMS$$') > SHA256SUMS

clean-dist:
	rm -rf $(DIST)

install-provider:
	bindings/terraform/install_provider.sh
