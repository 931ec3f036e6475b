package provider_test

import (
	"archive/zip"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/dirhash"

	gesbackups "github.com/ges-backups/ges-backups/bindings/go"
	"github.com/ges-backups/ges-backups/bindings/go/emulatortest"
)

// releaseCLI is a CLI of the release tests with the registry host that
// "ges-backups/ges" means to it.
type releaseCLI struct {
	name, path, host string
}

// releaseCLIs are Terraform (GES_TERRAFORM: run_tests.sh sets the one on
// PATH) and OpenTofu (GES_TOFU: run_tests.sh builds it). A missing one skips
// its subtests, and run_tests.sh fails on a skip.
func releaseCLIs() []releaseCLI {
	return []releaseCLI{
		{"terraform", os.Getenv("GES_TERRAFORM"), "registry.terraform.io"},
		{"tofu", os.Getenv("GES_TOFU"), "registry.opentofu.org"},
	}
}

func (rc releaseCLI) require(t *testing.T) {
	t.Helper()
	if rc.path == "" {
		t.Skipf("no %s CLI: set GES_%s (run_tests.sh does)", rc.name, strings.ToUpper(rc.name))
	}
}

// runScript runs one of the provider's release scripts with extra
// environment, failing the test with its output when it fails.
func runScript(t *testing.T, script string, env []string, args ...string) string {
	t.Helper()
	cmd := exec.Command(filepath.Join("..", "..", script), args...)
	cmd.Env = append(os.Environ(), env...)
	start := time.Now()
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", script, err, out)
	}
	t.Logf("%s in %v", script, time.Since(start).Round(time.Millisecond))
	return string(out)
}

// toolchainEnv pins the Go and Rust toolchains' homes and caches, which
// default to places under $HOME, for a script run with another HOME.
func toolchainEnv(t *testing.T) []string {
	t.Helper()
	home, err := os.UserHomeDir()
	must(t, err)
	var env []string
	for k, dflt := range map[string]string{"RUSTUP_HOME": ".rustup", "CARGO_HOME": ".cargo"} {
		if v := os.Getenv(k); v != "" {
			env = append(env, k+"="+v)
		} else {
			env = append(env, k+"="+filepath.Join(home, dflt))
		}
	}
	out, err := exec.Command("go", "env", "GOPATH", "GOCACHE", "GOMODCACHE", "GOENV").Output()
	must(t, err)
	vals := strings.Split(strings.TrimSpace(string(out)), "\n")
	for i, k := range []string{"GOPATH", "GOCACHE", "GOMODCACHE", "GOENV"} {
		env = append(env, k+"="+vals[i])
	}
	return env
}

// lockEntry is a provider block of .terraform.lock.hcl.
type lockEntry struct {
	version, constraints string
	hashes               []string
}

var (
	lockBlock  = regexp.MustCompile(`(?s)provider "([^"]+)" \{(.*?)\n\}`)
	lockString = regexp.MustCompile(`(?m)^\s*(version|constraints)\s*=\s*"([^"]*)"`)
	lockHash   = regexp.MustCompile(`"((?:h1|zh):[^"]+)"`)
)

func readLock(t *testing.T, dir string) map[string]lockEntry {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, ".terraform.lock.hcl"))
	must(t, err)
	out := map[string]lockEntry{}
	for _, m := range lockBlock.FindAllStringSubmatch(string(b), -1) {
		var e lockEntry
		for _, s := range lockString.FindAllStringSubmatch(m[2], -1) {
			if s[1] == "version" {
				e.version = s[2]
			} else {
				e.constraints = s[2]
			}
		}
		for _, h := range lockHash.FindAllStringSubmatch(m[2], -1) {
			e.hashes = append(e.hashes, h[1])
		}
		out[m[1]] = e
	}
	return out
}

// assertLocked checks that the lock file records exactly the provider at
// host, at version, with the given h1: hash (Terraform's hash of the
// package's contents) among its hashes.
func assertLocked(t *testing.T, dir, host, version, constraints, h1 string) {
	t.Helper()
	lock := readLock(t, dir)
	addr := host + "/ges-backups/ges"
	e, ok := lock[addr]
	if !ok || len(lock) != 1 {
		t.Fatalf(".terraform.lock.hcl: want only %s, have %v", addr, lock)
	}
	if e.version != version || e.constraints != constraints {
		t.Errorf("locked version %q constraints %q, want %q %q", e.version, e.constraints, version, constraints)
	}
	if !slices.Contains(e.hashes, h1) {
		t.Errorf("locked hashes %v lack the package's %s", e.hashes, h1)
	}
}

// copyFile copies src to dst with mode.
func copyFile(t *testing.T, src, dst string, mode os.FileMode) {
	t.Helper()
	b, err := os.ReadFile(src)
	must(t, err)
	must(t, os.MkdirAll(filepath.Dir(dst), 0o755))
	must(t, os.WriteFile(dst, b, mode))
}

// newReleaseWork is a working directory with examples/emulator/main.tf (whose
// required_providers has source "ges-backups/ges" and a version constraint)
// and a CLI environment with the CLI configuration rc (may be empty) and
// HOME set to home.
func newReleaseWork(t *testing.T, rc releaseCLI, cliConfig, home string) *cli {
	t.Helper()
	work := t.TempDir()
	rcFile := filepath.Join(work, "cli.tfrc")
	must(t, os.WriteFile(rcFile, []byte(cliConfig), 0o600))
	copyFile(t, filepath.Join("..", "..", "examples", "emulator", "main.tf"), filepath.Join(work, "main.tf"), 0o600)
	return &cli{path: rc.path, dir: work, env: cliEnv("TF_CLI_CONFIG_FILE="+rcFile, "HOME="+home)}
}

// initAndApply runs init (with args), then apply on the emulator, checks the
// outputs and that the CLI shows no secret.
func initAndApply(t *testing.T, c *cli, e *emulatortest.Emulator, version string, initArgs ...string) string {
	t.Helper()
	stdout, stderr, err := c.run(t, append([]string{"init", "-input=false", "-no-color"}, initArgs...)...)
	if err != nil {
		t.Fatalf("init: %v\nstdout:\n%s\nstderr:\n%s", err, stdout, stderr)
	}
	if want := "Installed ges-backups/ges v" + version; !strings.Contains(stdout, want) {
		t.Errorf("init did not say %q:\n%s", want, stdout)
	}
	initOut := stdout
	stdout, stderr, err = c.run(t, "apply", "-auto-approve", "-input=false", "-no-color", "-var", "endpoint="+e.URL)
	if err != nil {
		t.Fatalf("apply: %v\nstdout:\n%s\nstderr:\n%s", err, stdout, stderr)
	}
	if strings.Contains(stdout+stderr, "development overrides") {
		t.Errorf("dev_overrides in effect:\n%s", stdout+stderr)
	}
	if strings.Contains(initOut+stdout+stderr, testToken) {
		t.Error("the CLI output shows the auth token")
	}
	assertExampleOutputs(t, c)
	return initOut
}

// The release files of dist.sh, served by a filesystem mirror (packed
// layout), install with `terraform init` / `tofu init` as a registry's would:
// version constraint, lock file with the package's hash, apply against the
// emulator, `init -upgrade` from the mirror alone, then an apply of
// examples/enterprise (assume_role and assume_role_with_oidc).
func TestReleaseFilesystemMirror(t *testing.T) {
	version := gesbackups.Version()
	platform := runtime.GOOS + "_" + runtime.GOARCH
	dist := t.TempDir()
	runScript(t, "dist.sh", nil, dist)

	base := "terraform-provider-ges_" + version
	zipPath := filepath.Join(dist, base+"_"+platform+".zip")
	names, err := filepath.Glob(filepath.Join(dist, "*"))
	must(t, err)
	for i := range names {
		names[i] = filepath.Base(names[i])
	}
	want := []string{base + "_SHA256SUMS", base + "_" + platform + ".zip", base + "_manifest.json"}
	slices.Sort(want)
	if !slices.Equal(names, want) {
		t.Fatalf("dist.sh wrote %v, want %v", names, want)
	}
	assertReleaseFiles(t, dist, base, platform, version)

	h1, err := dirhash.HashZip(zipPath, dirhash.Hash1)
	must(t, err)
	e := emulatortest.Start(t, "--auth-token", testToken)

	for _, rc := range releaseCLIs() {
		t.Run(rc.name, func(t *testing.T) {
			rc.require(t)
			mirror := t.TempDir()
			// The packed layout: HOST/NAMESPACE/TYPE/terraform-provider-TYPE_VERSION_OS_ARCH.zip.
			copyFile(t, zipPath, filepath.Join(mirror, rc.host, "ges-backups", "ges", filepath.Base(zipPath)), 0o644)
			// No direct {}: nothing but the mirror can serve a provider.
			config := fmt.Sprintf("provider_installation {\n  filesystem_mirror {\n    path    = %q\n    include = [\"ges-backups/ges\"]\n  }\n}\n", mirror)
			c := newReleaseWork(t, rc, config, t.TempDir())

			initAndApply(t, c, e, version)
			assertLocked(t, c.dir, rc.host, version, "~> 0.2", h1)

			stdout, stderr, err := c.run(t, "init", "-upgrade", "-input=false", "-no-color")
			if err != nil {
				t.Fatalf("init -upgrade: %v\nstdout:\n%s\nstderr:\n%s", err, stdout, stderr)
			}
			assertLocked(t, c.dir, rc.host, version, "~> 0.2", h1)

			// The provider from the mirror with agencies and OIDC.
			applyEnterpriseExample(t, c)
		})
	}
}

// assertReleaseFiles checks the manifest, SHA256SUMS and the zip's one
// executable, which reports the library's version.
func assertReleaseFiles(t *testing.T, dist, base, platform, version string) {
	t.Helper()
	manifest, err := os.ReadFile(filepath.Join(dist, base+"_manifest.json"))
	must(t, err)
	if !regexp.MustCompile(`"protocol_versions":\s*\[\s*"6\.0"\s*\]`).Match(manifest) {
		t.Errorf("manifest lacks protocol 6.0:\n%s", manifest)
	}
	sums := exec.Command("sha256sum", "--check", "--strict", base+"_SHA256SUMS")
	sums.Dir = dist
	out, err := sums.CombinedOutput()
	if err != nil {
		t.Errorf("sha256sum --check: %v\n%s", err, out)
	}
	if lines := strings.Count(strings.TrimSpace(string(out)), "\n") + 1; lines != 2 {
		t.Errorf("SHA256SUMS checks %d files, want the zip and the manifest:\n%s", lines, out)
	}

	z, err := zip.OpenReader(filepath.Join(dist, base+"_"+platform+".zip"))
	must(t, err)
	defer z.Close()
	if len(z.File) != 1 || z.File[0].Name != "terraform-provider-ges_v"+version {
		t.Fatalf("the zip holds %d files, first %q; want terraform-provider-ges_v%s alone", len(z.File), z.File[0].Name, version)
	}
	if mode := z.File[0].Mode(); mode != 0o755 {
		t.Errorf("%s: mode %v in the zip, want 0755", z.File[0].Name, mode)
	}
	src, err := z.File[0].Open()
	must(t, err)
	defer src.Close()
	bin := filepath.Join(t.TempDir(), z.File[0].Name)
	dst, err := os.OpenFile(bin, os.O_CREATE|os.O_WRONLY, 0o755)
	must(t, err)
	_, err = io.Copy(dst, src)
	must(t, err)
	must(t, dst.Close())
	assertBinaryVersion(t, bin, version)
}

func assertBinaryVersion(t *testing.T, bin, version string) {
	t.Helper()
	out, err := exec.Command(bin, "-version").Output()
	if err != nil {
		t.Fatalf("%s -version: %v", bin, err)
	}
	if got := strings.TrimSpace(string(out)); got != version {
		t.Errorf("%s -version = %q, want the library's %q", bin, got, version)
	}
}

// install_provider.sh fills the implied local mirror of both CLIs under
// $HOME; an `init` with an empty CLI configuration installs from it.
func TestInstallProviderImpliedMirror(t *testing.T) {
	version := gesbackups.Version()
	platform := runtime.GOOS + "_" + runtime.GOARCH
	home := t.TempDir()
	runScript(t, "install_provider.sh", append(toolchainEnv(t), "HOME="+home))

	dirs := map[string]string{}
	for _, host := range []string{"registry.terraform.io", "registry.opentofu.org"} {
		dir := filepath.Join(home, ".terraform.d", "plugins", host, "ges-backups", "ges", version, platform)
		entries, err := os.ReadDir(dir)
		must(t, err)
		if len(entries) != 1 || entries[0].Name() != "terraform-provider-ges_v"+version {
			t.Fatalf("%s holds %v, want terraform-provider-ges_v%s alone", dir, entries, version)
		}
		info, err := entries[0].Info()
		must(t, err)
		if info.Mode().Perm() != 0o755 {
			t.Errorf("%s: mode %v", entries[0].Name(), info.Mode())
		}
		assertBinaryVersion(t, filepath.Join(dir, entries[0].Name()), version)
		dirs[host] = dir
	}

	e := emulatortest.Start(t, "--auth-token", testToken)
	for _, rc := range releaseCLIs() {
		t.Run(rc.name, func(t *testing.T) {
			rc.require(t)
			h1, err := dirhash.HashDir(dirs[rc.host], "", dirhash.Hash1)
			must(t, err)
			c := newReleaseWork(t, rc, "", home)
			initAndApply(t, c, e, version)
			assertLocked(t, c.dir, rc.host, version, "~> 0.2", h1)
		})
	}
}
