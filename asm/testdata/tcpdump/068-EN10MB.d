(000) ldh      [12]
(001) jeq      #0x800           jt 2	jf 14
(002) ldb      [23]
(003) jeq      #0x6             jt 4	jf 14
(004) ldh      [20]
(005) jset     #0x1fff          jt 14	jf 6
(006) ldxb     4*([14]&0xf)
(007) ldh      [x + 14]
(008) st       M[1]
(009) ldh      [x + 16]
(010) tax      
(011) ld       M[1]
(012) jgt      x                jt 13	jf 14
(013) ret      #262144
(014) ret      #0
