//go:build !unix

package workspace

import "os"

// openRegular opens path for reading only if it is a regular file; special
// is true when it is not.
func openRegular(path string) (f *os.File, special bool, err error) {
	if st, err := os.Lstat(path); err != nil || !st.Mode().IsRegular() {
		return nil, err == nil, err
	}
	f, err = os.Open(path)
	return f, false, err
}
