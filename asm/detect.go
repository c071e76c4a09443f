package asm

import (
	"bytes"
	"unicode/utf8"
)

// Detect guesses the format of data from its content; doc.go lists the
// rules. It never fails: input that is not text is Raw (little endian).
func Detect(data []byte) Format {
	if !isText(data) {
		return Raw
	}
	t := bytes.TrimLeft(data, " \t\r\n")
	switch {
	case bytes.HasPrefix(t, []byte("(000) ")):
		return Tcpdump
	case bytes.Contains(data, []byte("RawInstruction")) || bytes.Contains(squeeze(data), []byte("{Op:")):
		return Go
	case bytes.HasPrefix(t, []byte("{")) || bytes.Contains(data, []byte("sock_filter")):
		return C
	}
	if looksXT(t) {
		return XT
	}
	if looksDDD(t) {
		return DDD
	}
	return Asm
}

// isText reports whether data is UTF-8 without control characters other
// than tab, CR and LF. Raw programs nearly always hold zero bytes.
func isText(data []byte) bool {
	if !utf8.Valid(data) {
		return false
	}
	for _, c := range data {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7f {
			return false
		}
	}
	return true
}

// squeeze drops blanks so "{ Op:" and "{Op:" look alike.
func squeeze(data []byte) []byte {
	return bytes.Map(func(r rune) rune {
		if r == ' ' || r == '\t' || r == '\r' || r == '\n' {
			return -1
		}
		return r
	}, data)
}

// looksXT: optionally quoted digits then a comma.
func looksXT(t []byte) bool {
	t = bytes.TrimLeft(t, "'\"")
	i := 0
	for i < len(t) && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	return i > 0 && i < len(t) && t[i] == ','
}

// looksDDD: the first line a lone number, and the second (if any) four
// decimal numbers.
func looksDDD(t []byte) bool {
	lines := bytes.SplitN(t, []byte("\n"), 3)
	first := bytes.Fields(lines[0])
	if len(first) != 1 || !allDigits(first[0]) {
		return false
	}
	if len(lines) < 2 || len(bytes.TrimSpace(lines[1])) == 0 {
		return true
	}
	second := bytes.Fields(lines[1])
	if len(second) != 4 {
		return false
	}
	for _, f := range second {
		if !allDigits(f) {
			return false
		}
	}
	return true
}

func allDigits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return len(b) > 0
}
