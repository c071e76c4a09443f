(000) ldb      [0]
(001) and      #0xf0
(002) jeq      #0x60            jt 3	jf 10
(003) ldb      [6]
(004) jeq      #0x6             jt 5	jf 10
(005) ldh      [40]
(006) jeq      #0x50            jt 9	jf 7
(007) ldh      [42]
(008) jeq      #0x50            jt 9	jf 10
(009) ret      #262144
(010) ret      #0
