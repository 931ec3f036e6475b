package gesbackups

import "time"

// Freed reports whether c's library client is freed within d: after Close,
// once the last call using it, abandoned ones included, has ended.
func Freed(c *Client, d time.Duration) bool {
	select {
	case <-c.freed:
		return true
	case <-time.After(d):
		return false
	}
}
