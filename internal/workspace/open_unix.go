//go:build unix

package workspace

import (
	"os"
	"syscall"
)

// openRegular opens path for reading only if it is a regular file: never
// through a symbolic link (O_NOFOLLOW), and without waiting on a FIFO put
// in its place since it was listed (O_NONBLOCK); what it opened is checked
// again. special is true when path is not a regular file.
func openRegular(path string) (f *os.File, special bool, err error) {
	f, err = os.OpenFile(path, os.O_RDONLY|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, false, err
	}
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		_ = f.Close()
		return nil, err == nil, err
	}
	return f, false, nil
}
