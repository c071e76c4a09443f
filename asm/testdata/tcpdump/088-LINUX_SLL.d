(000) ldh      [14]
(001) jeq      #0x800           jt 2	jf 23
(002) ldb      [25]
(003) jeq      #0x6             jt 5	jf 4
(004) jeq      #0x11            jt 5	jf 23
(005) ld       [28]
(006) jeq      #0xa000001       jt 9	jf 7
(007) ld       [32]
(008) jeq      #0xa000002       jt 9	jf 23
(009) ldb      [25]
(010) jeq      #0x84            jt 13	jf 11
(011) jeq      #0x6             jt 13	jf 12
(012) jeq      #0x11            jt 13	jf 23
(013) ldh      [22]
(014) jset     #0x1fff          jt 23	jf 15
(015) ldxb     4*([16]&0xf)
(016) ldh      [x + 16]
(017) jge      #0x3e8           jt 18	jf 19
(018) jgt      #0x7d0           jt 19	jf 22
(019) ldh      [x + 18]
(020) jge      #0x3e8           jt 21	jf 23
(021) jgt      #0x7d0           jt 23	jf 22
(022) ret      #262144
(023) ret      #0
