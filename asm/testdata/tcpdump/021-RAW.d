(000) ldb      [0]
(001) and      #0xf0
(002) jeq      #0x40            jt 3	jf 10
(003) ld       [12]
(004) and      #0xff000000
(005) jeq      #0xa000000       jt 9	jf 6
(006) ld       [16]
(007) and      #0xff000000
(008) jeq      #0xa000000       jt 9	jf 10
(009) ret      #262144
(010) ret      #0
