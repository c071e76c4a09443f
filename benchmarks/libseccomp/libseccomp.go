// Package libseccomp is a minimal cgo binding to the system's libseccomp
// (Debian's libseccomp-dev), enough to compile a policy with it and export
// the filter, so that benchmarks can run it side by side with cbpf.
package libseccomp

/*
#cgo LDFLAGS: -lseccomp
#define _GNU_SOURCE
#include <errno.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static int export_bpf_mem(scmp_filter_ctx ctx, void **out, long *len) {
	int fd = memfd_create("cbpf-bench", 0);
	if (fd < 0)
		return -errno;
	int rc = seccomp_export_bpf(ctx, fd);
	if (rc < 0) {
		close(fd);
		return rc;
	}
	off_t n = lseek(fd, 0, SEEK_END);
	if (n < 0 || lseek(fd, 0, SEEK_SET) < 0) {
		close(fd);
		return -errno;
	}
	char *buf = malloc(n > 0 ? n : 1);
	long got = 0;
	while (got < n) {
		ssize_t r = read(fd, buf + got, n - got);
		if (r <= 0) {
			free(buf);
			close(fd);
			return -EIO;
		}
		got += r;
	}
	close(fd);
	*out = buf;
	*len = n;
	return 0;
}
*/
import "C"

import (
	"encoding/binary"
	"fmt"
	"unsafe"

	"golang.org/x/net/bpf"
)

// Comparison operators (enum scmp_compare).
const (
	CmpNE       = C.SCMP_CMP_NE
	CmpLT       = C.SCMP_CMP_LT
	CmpLE       = C.SCMP_CMP_LE
	CmpEQ       = C.SCMP_CMP_EQ
	CmpGE       = C.SCMP_CMP_GE
	CmpGT       = C.SCMP_CMP_GT
	CmpMaskedEQ = C.SCMP_CMP_MASKED_EQ
)

// Cmp is one argument comparison (struct scmp_arg_cmp).
type Cmp struct {
	Arg    uint
	Op     int
	Datum  uint64 // the value, or for CmpMaskedEQ the mask
	Datum2 uint64 // for CmpMaskedEQ: the value
}

// Filter is a libseccomp filter context.
type Filter struct{ ctx C.scmp_filter_ctx }

// New starts a filter with the default action (a seccomp return value).
func New(def uint32) (*Filter, error) {
	ctx := C.seccomp_init(C.uint32_t(def))
	if ctx == nil {
		return nil, fmt.Errorf("seccomp_init failed")
	}
	return &Filter{ctx: ctx}, nil
}

// Release frees the context.
func (f *Filter) Release() { C.seccomp_release(f.ctx) }

// SetBadArch sets the action for other arches (SCMP_FLTATR_ACT_BADARCH).
func (f *Filter) SetBadArch(act uint32) error {
	return errno(C.seccomp_attr_set(f.ctx, C.SCMP_FLTATR_ACT_BADARCH, C.uint32_t(act)))
}

// SetOptimize sets SCMP_FLTATR_CTL_OPTIMIZE: 1 default, 2 binary tree.
func (f *Filter) SetOptimize(level int) error {
	return errno(C.seccomp_attr_set(f.ctx, C.SCMP_FLTATR_CTL_OPTIMIZE, C.uint32_t(level)))
}

// Resolve returns the native number of a syscall name, or false.
func Resolve(name string) (int, bool) {
	cs := C.CString(name)
	defer C.free(unsafe.Pointer(cs))
	nr := C.seccomp_syscall_resolve_name(cs)
	return int(nr), nr != C.__NR_SCMP_ERROR
}

// AddRule adds a rule for syscall nr with the comparisons ANDed.
func (f *Filter) AddRule(act uint32, nr int, cmps []Cmp) error {
	if len(cmps) == 0 {
		return errno(C.seccomp_rule_add_array(f.ctx, C.uint32_t(act), C.int(nr), 0, nil))
	}
	arr := (*C.struct_scmp_arg_cmp)(C.malloc(C.size_t(len(cmps)) * C.sizeof_struct_scmp_arg_cmp))
	defer C.free(unsafe.Pointer(arr))
	s := unsafe.Slice(arr, len(cmps))
	for i, c := range cmps {
		s[i].arg = C.uint(c.Arg)
		s[i].op = C.enum_scmp_compare(c.Op)
		s[i].datum_a = C.scmp_datum_t(c.Datum)
		s[i].datum_b = C.scmp_datum_t(c.Datum2)
	}
	return errno(C.seccomp_rule_add_array(f.ctx, C.uint32_t(act), C.int(nr), C.uint(len(cmps)), arr))
}

// Export returns the filter as a program.
func (f *Filter) Export() ([]bpf.RawInstruction, error) {
	var buf unsafe.Pointer
	var n C.long
	if rc := C.export_bpf_mem(f.ctx, &buf, &n); rc < 0 {
		return nil, fmt.Errorf("seccomp_export_bpf: errno %d", -rc)
	}
	defer C.free(buf)
	raw := C.GoBytes(buf, C.int(n))
	prog := make([]bpf.RawInstruction, len(raw)/8)
	for i := range prog {
		b := raw[8*i:]
		prog[i] = bpf.RawInstruction{Op: binary.NativeEndian.Uint16(b), Jt: b[2], Jf: b[3], K: binary.NativeEndian.Uint32(b[4:])}
	}
	return prog, nil
}

func errno(rc C.int) error {
	if rc < 0 {
		return fmt.Errorf("libseccomp: errno %d", -rc)
	}
	return nil
}
