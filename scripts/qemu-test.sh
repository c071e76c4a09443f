#!/usr/bin/env bash
# Run cbpf's loader and compiler checks under the real Linux kernels of
# other arches, each booted in qemu-system (TCG emulation), with the test
# binaries as the only programs (an initramfs whose /init is
# internal/qemuinit).
#
# usage: scripts/qemu-test.sh [ARCH...]   ARCH: arm64 riscv64 s390x ppc64le,
#                                          or i386 (default: all five)
#
# i386 needs no qemu: a GOARCH=386 test binary runs natively on an x86_64
# kernel, through its compat entry, where filters see AUDIT_ARCH_I386 and
# the i386 numbers (socketcall and ipc included). With it the script also
# says whether this kernel has the x32 ABI, whose calls the x86_64 check
# then makes too.
#
# On a Debian 12 machine, as root. It installs the qemu packages with
# apt-get; downloads each arch's Debian kernel package without installing
# it (a private apt state under $CBPF_QEMU_DIR: the host's apt
# configuration, lists and dpkg status are not touched) and keeps only its
# /boot; cross-compiles the test binaries with CGO_ENABLED=0 GOARCH=ARCH;
# boots each kernel with a timeout, and prints one line per arch:
#
#   PASS arm64 (kernel 6.1.0-50-arm64, 59 tests passed; compiler: 49 policies (48 generated, Docker's default), 3000 calls under the kernel agree with policy.Eval; 29.8 s)
#   FAIL s390x: TestNativeKernel TestTSync (log: /tmp/cbpf-qemu/boot-s390x.log)
#
# It exits 0 when every arch passed. Environment: CBPF_QEMU_DIR (default
# /tmp/cbpf-qemu; kernels downloaded there are reused), CBPF_QEMU_TIMEOUT
# (seconds per boot, default 600).
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
W=${CBPF_QEMU_DIR:-/tmp/cbpf-qemu}
TIMEOUT=${CBPF_QEMU_TIMEOUT:-600}
ARCHES=("$@")
[ ${#ARCHES[@]} -gt 0 ] || ARCHES=(i386 arm64 riscv64 s390x ppc64le)

# Loader tests that need nothing but the kernel and the test binary
# itself: the Launch tests and a few others run host commands (true, sh,
# cat, python3) that an initramfs does not have; they run on the host.
LOADER_SKIP='^(TestLaunch(ExitStatus|Filtered|Killed|Listener|Signal|Trap|Errors|ListenerExecFails)|TestInherit|TestCatch|TestTrapSiginfo|Example_pathSupervisor)$'

# On i386 the Launch tests and a few others would run this machine's
# x86_64 commands under a filter for i386, which kills them: they are
# checked by the x86_64 run.
NATIVE386_SKIP='^(TestLaunch(ExitStatus|Filtered|Killed|Listener|Signal|Trap)|TestInherit|TestTrapSiginfo|Example_pathSupervisor)$'

die() { echo "qemu-test: $*" >&2; exit 2; }
[ "$(id -u)" = 0 ] || die "needs root (apt-get, mknod)"
command -v go >/dev/null || die "needs go on PATH"

need=()
[ "${ARCHES[*]}" = i386 ] && pkgs=() || pkgs=(qemu-system-arm qemu-system-misc qemu-system-ppc cpio)
for p in "${pkgs[@]}"; do
	dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
	echo "qemu-test: installing ${need[*]}"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null ||
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null; } ||
		die "apt-get install ${need[*]} failed"
fi

# The Debian mirror this machine uses (deb822 or one-line format).
MIRROR=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null)
[ -n "$MIRROR" ] || MIRROR=$(awk '$1=="deb"{for(i=2;i<=NF;i++) if($i ~ /^https?:/){print $i; exit}}' /etc/apt/sources.list 2>/dev/null)
[ -n "$MIRROR" ] || MIRROR=http://deb.debian.org/debian

# fetch_kernel DEBARCH SUITE FLAVOUR: the kernel image of
# linux-image-FLAVOUR (the metapackage names the current ABI) into
# $W/DEBARCH/root/boot.
fetch_kernel() {
	local da=$1 suite=$2 flavour=$3 d=$W/$1
	if compgen -G "$d/root/boot/vmlinu*" >/dev/null; then return 0; fi
	rm -rf "$d" && mkdir -p "$d/lists/partial" "$d/cache/archives/partial" "$d/parts" "$d/root" && : >"$d/status"
	echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $MIRROR $suite main" >"$d/sources.list"
	local o=(-oAPT::Architecture="$da" -oAPT::Architectures="$da" -oDir::State::Lists="$d/lists"
		-oDir::Etc::SourceList="$d/sources.list" -oDir::Etc::SourceParts="$d/parts"
		-oDir::State::Status="$d/status" -oDir::Cache="$d/cache" -oDebug::NoLocking=1)
	apt-get "${o[@]}" update -qq || return 1
	local pkg
	pkg=$(apt-cache "${o[@]}" depends "linux-image-$flavour" | awk '/Depends: linux-image-[0-9]/{print $2; exit}')
	[ -n "$pkg" ] || { echo "qemu-test: no kernel package behind linux-image-$flavour ($suite, $da)"; return 1; }
	(cd "$d" && apt-get "${o[@]}" download "$pkg" >/dev/null 2>&1) || return 1
	dpkg-deb --fsys-tarfile "$d"/linux-image-*.deb | tar -x -C "$d/root" --wildcards './boot/vmlinu*' || return 1
	rm -f "$d"/linux-image-*.deb "$d"/cache/*.bin
}

# build_initrd GOARCH: /init and the test binaries, as an uncompressed
# newc cpio (every kernel here takes it; they need no modules).
build_initrd() {
	local ga=$1 r=$W/initrd-$1
	rm -rf "$r" && mkdir -p "$r/tests" "$r/dev" "$r/proc" "$r/tmp" || return 1
	# In a subshell, so that GOARCH does not outlive a failed build.
	(
		export CGO_ENABLED=0 GOARCH=$ga GOOS=linux
		go build -trimpath -o "$r/init" ./internal/qemuinit &&
			go test -c -trimpath -o "$r/tests/seccomp.test" ./seccomp &&
			go test -c -trimpath -o "$r/tests/compile.test" ./compile
	) || return 1
	printf -- '-test.v\n-test.count=1\n-test.skip=%s\n' "$LOADER_SKIP" >"$r/tests/seccomp.args"
	printf -- '-test.v\n-test.count=1\n-test.run=^TestNativeKernel$\n' >"$r/tests/compile.args"
	mknod -m 600 "$r/dev/console" c 5 1 || return 1
	(cd "$r" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet >"$W/initrd-$ga.cpio") || return 1
}

# boot GOARCH: the kernel with the initramfs; the console goes to
# $W/boot-GOARCH.log.
boot() {
	local ga=$1 kern cmd app='panic=-1 quiet loglevel=3'
	case $ga in
	arm64)
		kern=$(ls "$W"/arm64/root/boot/vmlinuz-* | head -1)
		cmd=(qemu-system-aarch64 -M virt -cpu cortex-a57 -m 1024) app="console=ttyAMA0 $app" ;;
	riscv64)
		kern=$(ls "$W"/riscv64/root/boot/vmlinux-* | head -1)
		cmd=(qemu-system-riscv64 -M virt -m 1024 -bios default) app="console=ttyS0 $app" ;;
	s390x)
		kern=$(ls "$W"/s390x/root/boot/vmlinuz-* | head -1)
		cmd=(qemu-system-s390x -M s390-ccw-virtio -cpu max -m 1024) app="console=ttysclp0 $app" ;;
	ppc64le)
		kern=$(ls "$W"/ppc64el/root/boot/vmlinux-* | head -1)
		cmd=(qemu-system-ppc64 -M pseries,x-vof=on,cap-cfpc=broken,cap-sbbc=broken,cap-ibs=broken,cap-ccf-assist=off -m 1024)
		app="console=hvc0 $app" ;;
	esac
	KERNEL_NAME=$(basename "$kern" | sed 's/^vmlinu[xz]-//')
	timeout --foreground -k 10 "$TIMEOUT" "${cmd[@]}" -smp 2 -nographic -vga none -nic none -no-reboot \
		-kernel "$kern" -initrd "$W/initrd-$ga.cpio" -append "$app" </dev/null >"$W/boot-$ga.log" 2>&1
}

# elapsed START: seconds since START (date +%s%N), one decimal.
elapsed() {
	local ds=$((($(date +%s%N) - $1) / 100000000))
	echo "$((ds / 10)).$((ds % 10))"
}

# failed LOG...: the tests the logs say failed.
failed() { grep -hoE '^\s*--- FAIL: [^ ]+' "$@" | awk '{print $3}' | sort -u | tr '\n' ' '; }

# checked LOG: what TestNativeKernel says it checked.
checked() { grep -oE '[0-9]+ policies \([^)]*\), [0-9]+ calls' "$1" | head -1; }

# native_i386: the loader tests and the compiler check from a GOARCH=386
# binary, and the x86_64 compiler check (which says whether x32 is on).
native_i386() {
	local start log=$W/native-i386.log rc xlog=$W/native-x86_64.log
	start=$(date +%s%N)
	[ "$(go env GOHOSTARCH)" = amd64 ] || { results+=("FAIL i386: needs an x86_64 host"); status=1; return; }
	{ GOARCH=386 CGO_ENABLED=0 CI=true go test -count=1 -v -skip "$NATIVE386_SKIP" ./seccomp &&
		GOARCH=386 CGO_ENABLED=0 CI=true go test -count=1 -v -run '^TestNativeKernel$' ./compile; } >"$log" 2>&1
	rc=$?
	CI=true go test -count=1 -v -run '^TestNativeKernel$' ./compile >"$xlog" 2>&1 || rc=1
	if [ $rc = 0 ] && grep -q 'agree with policy.Eval' "$log"; then
		results+=("PASS i386 (native, compat entry of kernel $(uname -r), $(grep -c -- '^--- PASS: ' "$log") tests passed; compiler: $(checked "$log") under the kernel agree with policy.Eval; $(elapsed "$start") s)")
	else
		local fails
		fails=$(failed "$log" "$xlog")
		results+=("FAIL i386: ${fails:-see $log $xlog}")
		status=1
	fi
	if grep -q 'x32 ABI' "$xlog"; then
		results+=("x32: not checked: this kernel has no x32 ABI (CONFIG_X86_X32_ABI off or syscall.x32=n)")
	elif grep -q 'x86_64+x32' "$xlog"; then
		results+=("x32: checked with x86_64 ($(grep -o '[0-9]* calls made' "$xlog" | head -1))")
	fi
}

mkdir -p "$W"
declare -A DEBARCH=([arm64]=arm64 [riscv64]=riscv64 [s390x]=s390x [ppc64le]=ppc64el)
declare -A SUITE=([arm64]=bookworm [riscv64]=trixie [s390x]=bookworm [ppc64le]=bookworm)
declare -A FLAVOUR=([arm64]=arm64 [riscv64]=riscv64 [s390x]=s390x [ppc64le]=powerpc64le)
results=()
status=0
for ga in "${ARCHES[@]}"; do
	[ -n "${DEBARCH[$ga]:-}" ] || [ "$ga" = i386 ] || die "unknown arch $ga (want arm64, riscv64, s390x, ppc64le or i386)"
done
for ga in "${ARCHES[@]}"; do
	if [ "$ga" = i386 ]; then
		native_i386
		continue
	fi
	start=$(date +%s%N)
	if ! fetch_kernel "${DEBARCH[$ga]}" "${SUITE[$ga]}" "${FLAVOUR[$ga]}"; then
		results+=("FAIL $ga: could not download its kernel (linux-image-${FLAVOUR[$ga]}, ${SUITE[$ga]})"); status=1; continue
	fi
	if ! build_initrd "$ga"; then
		results+=("FAIL $ga: could not build the test binaries or the initramfs"); status=1; continue
	fi
	boot "$ga"
	rc=$?
	log=$W/boot-$ga.log
	fails=$(failed "$log")
	bad=$(grep -E '^CBPF-TESTBIN .* exit=' "$log" | grep -v ' exit=0 ' | awk '{print $2}' | tr '\n' ' ')
	if grep -q "^CBPF-GUEST-DONE arch=$ga failures=0" "$log" && [ -z "$fails" ]; then
		results+=("PASS $ga (kernel $KERNEL_NAME, $(grep -c '^--- PASS: ' "$log") tests passed; compiler: $(checked "$log") under the kernel agree with policy.Eval; $(elapsed "$start") s)")
	else
		why=${fails:-$bad}
		[ -n "$why" ] || why="no result (qemu exit $rc, timeout ${TIMEOUT}s?)"
		results+=("FAIL $ga: $why(log: $log)")
		status=1
	fi
done
printf '%s\n' "${results[@]}"
exit $status
