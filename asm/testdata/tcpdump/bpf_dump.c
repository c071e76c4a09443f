/*
 * bpf_dump: reads a program in tcpdump -ddd form on stdin and prints it with
 * libpcap's own bpf_dump(), as tcpdump -d (or -dd with "-dd", -ddd with
 * "-ddd") would. The golden tests build this as an oracle for arbitrary
 * programs, which pcap expressions alone cannot produce.
 */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	int level = 1;
	unsigned int n, i;
	struct bpf_program prog;

	if (argc > 1 && strcmp(argv[1], "-dd") == 0)
		level = 2;
	if (argc > 1 && strcmp(argv[1], "-ddd") == 0)
		level = 3;
	if (scanf("%u", &n) != 1)
		return 2;
	prog.bf_len = n;
	prog.bf_insns = calloc(n ? n : 1, sizeof *prog.bf_insns);
	if (prog.bf_insns == NULL)
		return 2;
	for (i = 0; i < n; i++) {
		unsigned int code, jt, jf, k;
		if (scanf("%u %u %u %u", &code, &jt, &jf, &k) != 4)
			return 2;
		prog.bf_insns[i].code = (unsigned short)code;
		prog.bf_insns[i].jt = (unsigned char)jt;
		prog.bf_insns[i].jf = (unsigned char)jf;
		prog.bf_insns[i].k = k;
	}
	bpf_dump(&prog, level);
	return 0;
}
