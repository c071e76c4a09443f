(000) ldb      [0]
(001) and      #0xf0
(002) jeq      #0x60            jt 3	jf 8
(003) ld       [8]
(004) jeq      #0x20010db8      jt 7	jf 5
(005) ld       [24]
(006) jeq      #0x20010db8      jt 7	jf 8
(007) ret      #262144
(008) ret      #0
