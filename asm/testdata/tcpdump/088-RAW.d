(000) ldb      [0]
(001) and      #0xf0
(002) jeq      #0x40            jt 3	jf 24
(003) ldb      [9]
(004) jeq      #0x6             jt 6	jf 5
(005) jeq      #0x11            jt 6	jf 24
(006) ld       [12]
(007) jeq      #0xa000001       jt 10	jf 8
(008) ld       [16]
(009) jeq      #0xa000002       jt 10	jf 24
(010) ldb      [9]
(011) jeq      #0x84            jt 14	jf 12
(012) jeq      #0x6             jt 14	jf 13
(013) jeq      #0x11            jt 14	jf 24
(014) ldh      [6]
(015) jset     #0x1fff          jt 24	jf 16
(016) ldxb     4*([0]&0xf)
(017) ldh      [x + 0]
(018) jge      #0x3e8           jt 19	jf 20
(019) jgt      #0x7d0           jt 20	jf 23
(020) ldh      [x + 2]
(021) jge      #0x3e8           jt 22	jf 24
(022) jgt      #0x7d0           jt 24	jf 23
(023) ret      #262144
(024) ret      #0
