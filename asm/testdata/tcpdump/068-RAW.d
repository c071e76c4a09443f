(000) ldb      [0]
(001) and      #0xf0
(002) jeq      #0x40            jt 3	jf 15
(003) ldb      [9]
(004) jeq      #0x6             jt 5	jf 15
(005) ldh      [6]
(006) jset     #0x1fff          jt 15	jf 7
(007) ldxb     4*([0]&0xf)
(008) ldh      [x + 0]
(009) st       M[1]
(010) ldh      [x + 2]
(011) tax      
(012) ld       M[1]
(013) jgt      x                jt 14	jf 15
(014) ret      #262144
(015) ret      #0
