(000) ldh      [14]
(001) jeq      #0x800           jt 2	jf 15
(002) ldb      [25]
(003) jeq      #0x6             jt 4	jf 15
(004) ldh      [22]
(005) jset     #0x1fff          jt 15	jf 6
(006) ldxb     4*([16]&0xf)
(007) ldb      [x + 28]
(008) and      #0xf0
(009) rsh      #2
(010) add      x
(011) tax      
(012) ld       [x + 16]
(013) jeq      #0x47455420      jt 14	jf 15
(014) ret      #262144
(015) ret      #0
