(000) ldb      [0]
(001) and      #0xf0
(002) jeq      #0x60            jt 3	jf 7
(003) ldb      [6]
(004) jeq      #0x6             jt 5	jf 19
(005) ldh      [42]
(006) jge      #0x1             jt 17	jf 19
(007) ldb      [0]
(008) and      #0xf0
(009) jeq      #0x40            jt 10	jf 19
(010) ldb      [9]
(011) jeq      #0x6             jt 12	jf 19
(012) ldh      [6]
(013) jset     #0x1fff          jt 19	jf 14
(014) ldxb     4*([0]&0xf)
(015) ldh      [x + 2]
(016) jge      #0x1             jt 17	jf 19
(017) jgt      #0x3ff           jt 19	jf 18
(018) ret      #262144
(019) ret      #0
