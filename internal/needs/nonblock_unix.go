//go:build unix

package needs

import "syscall"

// nonBlock opens without waiting for a FIFO's writer: a FIFO swapped in
// after the check is then refused instead of blocking the run.
const nonBlock = syscall.O_NONBLOCK
