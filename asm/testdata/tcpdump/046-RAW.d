(000) ldb      [0]
(001) and      #0xf0
(002) jeq      #0x60            jt 3	jf 8
(003) ldb      [6]
(004) jeq      #0x3a            jt 5	jf 8
(005) ldb      [40]
(006) jeq      #0x80            jt 7	jf 8
(007) ret      #262144
(008) ret      #0
