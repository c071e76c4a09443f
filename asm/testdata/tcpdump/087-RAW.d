(000) ldb      [0]
(001) and      #0xf0
(002) jeq      #0x40            jt 3	jf 8
(003) ldb      [9]
(004) jeq      #0x6             jt 8	jf 5
(005) jeq      #0x11            jt 8	jf 6
(006) jeq      #0x1             jt 8	jf 7
(007) ret      #262144
(008) ret      #0
