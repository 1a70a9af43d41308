//go:build !unix

package needs

const nonBlock = 0
