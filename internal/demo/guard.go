package demo

import (
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"strings"
	"time"
)

// limits bound what the demo server holds for anyone who reaches it.
type limits struct {
	// ReadHeader, Read, Write and Idle are the http.Server timeouts.
	ReadHeader, Read, Write, Idle time.Duration
	// Body is the most a request body may be; Record the requests (and
	// violations) each simulator keeps, their bodies cut to 4 KiB.
	Body   int64
	Record int
}

// serveLimits are the demo's: a simulated answer takes milliseconds, and a
// check sends tens of requests.
var serveLimits = limits{ReadHeader: 10 * time.Second, Read: 30 * time.Second, Write: 60 * time.Second, Idle: 60 * time.Second,
	Body: 1 << 20, Record: 200}

// server returns the demo's HTTP server for h listening on ln: with its
// timeouts and body limit, its errors on errLog, and, unless allowRemote,
// answering only requests whose Host names ln's address or a loopback name
// with its port (a page elsewhere that makes a browser send requests to a
// name it rebinds to 127.0.0.1 gets 421).
func server(h http.Handler, ln net.Listener, allowRemote bool, l limits, errLog io.Writer) *http.Server {
	if l.Body > 0 {
		h = http.MaxBytesHandler(h, l.Body)
	}
	if !allowRemote {
		h = sameHost(h, ln.Addr().String())
	}
	return &http.Server{Handler: h, ReadHeaderTimeout: l.ReadHeader, ReadTimeout: l.Read, WriteTimeout: l.Write, IdleTimeout: l.Idle,
		MaxHeaderBytes: 64 << 10, ErrorLog: log.New(errLog, "pat-check demo: ", 0)}
}

// sameHost answers 421 Misdirected Request to a request whose Host is not
// addr, nor localhost, 127.0.0.1 or [::1] with addr's port.
func sameHost(h http.Handler, addr string) http.Handler {
	_, port, _ := net.SplitHostPort(addr)
	allowed := map[string]bool{strings.ToLower(addr): true}
	for _, host := range []string{"localhost", "127.0.0.1", "::1"} {
		allowed[net.JoinHostPort(host, port)] = true
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !allowed[strings.ToLower(r.Host)] {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.WriteHeader(http.StatusMisdirectedRequest)
			fmt.Fprintf(w, "pat-check demo serves %s only: another Host is refused (start it with --allow-remote to answer every name)\n", addr)
			return
		}
		h.ServeHTTP(w, r)
	})
}
