package gesbackups

import "testing"

// knownValue gives back the very value it was given, and only for the
// enumerated values it lists.
func TestKnownValue(t *testing.T) {
	for _, v := range []string{"auto", "manual", "backing_up", "success", "failed", "x86_64", "aarch64", "200", "400",
		"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"} {
		if got, ok := knownValue([]byte(v)); !ok || got != v {
			t.Errorf("knownValue(%q) = %q, %v", v, got, ok)
		}
	}
	for _, v := range []string{"", "10", "Auto", "success ", "2.2.21", "x86"} {
		if got, ok := knownValue([]byte(v)); ok {
			t.Errorf("knownValue(%q) = %q, true; want false", v, got)
		}
	}
}
