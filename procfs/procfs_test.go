package procfs

import "testing"

// TestVmRSS: this process has resident memory; a process that does not exist has none.
func TestVmRSS(t *testing.T) {
	if rss := VmRSS("self"); rss < 1<<20 {
		t.Errorf("VmRSS(self) = %d bytes, want at least a MiB", rss)
	}
	if rss := VmRSS("0"); rss != 0 {
		t.Errorf("VmRSS(0) = %d, want 0 for no such process", rss)
	}
}
