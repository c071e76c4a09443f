(000) ldb      [0]
(001) and      #0xf0
(002) jeq      #0x40            jt 3	jf 16
(003) ldb      [9]
(004) jeq      #0x6             jt 5	jf 16
(005) ldh      [6]
(006) jset     #0x1fff          jt 16	jf 7
(007) ldxb     4*([0]&0xf)
(008) ldb      [x + 12]
(009) and      #0xf0
(010) rsh      #2
(011) add      x
(012) tax      
(013) ld       [x + 0]
(014) jeq      #0x47455420      jt 15	jf 16
(015) ret      #262144
(016) ret      #0
