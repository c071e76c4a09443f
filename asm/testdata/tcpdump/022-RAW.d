(000) ldb      [0]
(001) and      #0xf0
(002) jeq      #0x40            jt 3	jf 10
(003) ld       [12]
(004) and      #0xffff0000
(005) jeq      #0xc0a80000      jt 6	jf 10
(006) ld       [16]
(007) and      #0xffff0000
(008) jeq      #0xc0a80000      jt 10	jf 9
(009) ret      #262144
(010) ret      #0
