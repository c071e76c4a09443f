(000) ldb      [0]
(001) and      #0xf0
(002) jeq      #0x40            jt 3	jf 12
(003) ldb      [9]
(004) jeq      #0x6             jt 5	jf 12
(005) ldh      [6]
(006) jset     #0x1fff          jt 12	jf 7
(007) ldxb     4*([0]&0xf)
(008) ldb      [x + 13]
(009) and      #0x12
(010) jeq      #0x2             jt 11	jf 12
(011) ret      #262144
(012) ret      #0
