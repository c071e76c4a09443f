(000) ldb      [0]
(001) and      #0xf0
(002) jeq      #0x40            jt 3	jf 12
(003) ldb      [9]
(004) jeq      #0x6             jt 5	jf 12
(005) jeq      #0x6             jt 6	jf 12
(006) ldh      [6]
(007) jset     #0x1fff          jt 12	jf 8
(008) ldxb     4*([0]&0xf)
(009) ldh      [x + 2]
(010) jeq      #0x50            jt 11	jf 12
(011) ret      #262144
(012) ret      #0
