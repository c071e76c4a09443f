(000) ldb      [0]
(001) and      #0xf0
(002) jeq      #0x60            jt 3	jf 12
(003) ldb      [6]
(004) jeq      #0x84            jt 7	jf 5
(005) jeq      #0x6             jt 7	jf 6
(006) jeq      #0x11            jt 7	jf 29
(007) ldh      [40]
(008) jge      #0x1770          jt 9	jf 10
(009) jgt      #0x177a          jt 10	jf 28
(010) ldh      [42]
(011) jge      #0x1770          jt 27	jf 29
(012) ldb      [0]
(013) and      #0xf0
(014) jeq      #0x40            jt 15	jf 29
(015) ldb      [9]
(016) jeq      #0x84            jt 19	jf 17
(017) jeq      #0x6             jt 19	jf 18
(018) jeq      #0x11            jt 19	jf 29
(019) ldh      [6]
(020) jset     #0x1fff          jt 29	jf 21
(021) ldxb     4*([0]&0xf)
(022) ldh      [x + 0]
(023) jge      #0x1770          jt 24	jf 25
(024) jgt      #0x177a          jt 25	jf 28
(025) ldh      [x + 2]
(026) jge      #0x1770          jt 27	jf 29
(027) jgt      #0x177a          jt 29	jf 28
(028) ret      #262144
(029) ret      #0
