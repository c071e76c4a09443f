(000) ldh      [12]
(001) jeq      #0x800           jt 2	jf 13
(002) ldb      [23]
(003) jeq      #0x11            jt 4	jf 13
(004) ldh      [20]
(005) jset     #0x1fff          jt 13	jf 6
(006) ldxb     4*([14]&0xf)
(007) ldh      [x + 22]
(008) jeq      #0x1234          jt 9	jf 13
(009) ldb      [x + 24]
(010) and      #0x80
(011) jeq      #0x80            jt 12	jf 13
(012) ret      #262144
(013) ret      #0
