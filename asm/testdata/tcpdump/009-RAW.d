(000) ldb      [0]
(001) and      #0xf0
(002) jeq      #0x40            jt 3	jf 5
(003) ldb      [9]
(004) jeq      #0x84            jt 13	jf 14
(005) ldb      [0]
(006) and      #0xf0
(007) jeq      #0x60            jt 8	jf 14
(008) ldb      [6]
(009) jeq      #0x84            jt 13	jf 10
(010) jeq      #0x2c            jt 11	jf 14
(011) ldb      [40]
(012) jeq      #0x84            jt 13	jf 14
(013) ret      #262144
(014) ret      #0
