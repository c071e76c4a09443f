(000) ldh      [14]
(001) jeq      #0x800           jt 2	jf 11
(002) ldb      [25]
(003) jeq      #0x6             jt 4	jf 11
(004) ldh      [22]
(005) jset     #0x1fff          jt 11	jf 6
(006) ldxb     4*([16]&0xf)
(007) ldb      [x + 29]
(008) and      #0x12
(009) jeq      #0x2             jt 10	jf 11
(010) ret      #262144
(011) ret      #0
