(000) ldb      [0]
(001) and      #0xf0
(002) jeq      #0x40            jt 3	jf 8
(003) ld       [12]
(004) jeq      #0xa000001       jt 7	jf 5
(005) ld       [16]
(006) jeq      #0xa000001       jt 7	jf 8
(007) ret      #262144
(008) ret      #0
