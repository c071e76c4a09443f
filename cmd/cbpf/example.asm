; An example x86_64 seccomp filter, embedded in cbpf for "cbpf disasm --example".
; It allows a few syscalls, allows socket() for AF_INET and AF_INET6 only,
; refuses other calls with ENOSYS and kills calls from any other ABI.
	ld [4]				; arch
	jeq #0xc000003e, native, kill	; AUDIT_ARCH_X86_64
native:
	ld [0]				; nr
	jge #0x40000000, kill		; x32 ABI: bit 30 of nr
	jeq #0, allow			; read
	jeq #1, allow			; write
	jeq #3, allow			; close
	jeq #41, socket			; socket
	jeq #60, allow			; exit
	jeq #231, allow			; exit_group
	ret #0x00050026			; ERRNO(ENOSYS)
socket:
	ld [20]				; args[0], high word
	jeq #0, low, eafnosupport
low:
	ld [16]				; args[0], low word
	jeq #2, allow			; AF_INET
	jeq #10, allow			; AF_INET6
eafnosupport:
	ret #0x00050061			; ERRNO(EAFNOSUPPORT)
allow:
	ret #0x7fff0000			; ALLOW
kill:
	ret #0x80000000			; KILL_PROCESS
