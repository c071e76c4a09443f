(000) ldb      [0]
(001) and      #0xf0
(002) jeq      #0x40            jt 3	jf 14
(003) ldb      [9]
(004) jeq      #0x11            jt 5	jf 14
(005) ldh      [6]
(006) jset     #0x1fff          jt 14	jf 7
(007) ldxb     4*([0]&0xf)
(008) ldh      [x + 8]
(009) jeq      #0x1234          jt 10	jf 14
(010) ldb      [x + 10]
(011) and      #0x80
(012) jeq      #0x80            jt 13	jf 14
(013) ret      #262144
(014) ret      #0
