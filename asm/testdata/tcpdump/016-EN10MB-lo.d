(000) ldh      [12]
(001) jeq      #0x86dd          jt 2	jf 11
(002) ldb      [20]
(003) jeq      #0x84            jt 6	jf 4
(004) jeq      #0x6             jt 6	jf 5
(005) jeq      #0x11            jt 6	jf 26
(006) ldh      [54]
(007) jge      #0x1770          jt 8	jf 9
(008) jgt      #0x177a          jt 9	jf 25
(009) ldh      [56]
(010) jge      #0x1770          jt 24	jf 26
(011) jeq      #0x800           jt 12	jf 26
(012) ldb      [23]
(013) jeq      #0x84            jt 16	jf 14
(014) jeq      #0x6             jt 16	jf 15
(015) jeq      #0x11            jt 16	jf 26
(016) ldh      [20]
(017) jset     #0x1fff          jt 26	jf 18
(018) ldxb     4*([14]&0xf)
(019) ldh      [x + 14]
(020) jge      #0x1770          jt 21	jf 22
(021) jgt      #0x177a          jt 22	jf 25
(022) ldh      [x + 16]
(023) jge      #0x1770          jt 24	jf 26
(024) jgt      #0x177a          jt 26	jf 25
(025) ret      #262144
(026) ret      #0
