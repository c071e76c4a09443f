(000) ldh      [12]
(001) jeq      #0x86dd          jt 2	jf 8
(002) ldb      [20]
(003) jeq      #0x6             jt 4	jf 8
(004) ldh      [56]
(005) jge      #0x1             jt 6	jf 8
(006) ldh      [56]
(007) jgt      #0x3ff           jt 8	jf 20
(008) ldh      [12]
(009) jeq      #0x800           jt 10	jf 21
(010) ldb      [23]
(011) jeq      #0x6             jt 12	jf 21
(012) ldh      [20]
(013) jset     #0x1fff          jt 21	jf 14
(014) ldxb     4*([14]&0xf)
(015) ldh      [x + 16]
(016) jge      #0x1             jt 17	jf 21
(017) ldxb     4*([14]&0xf)
(018) ldh      [x + 16]
(019) jgt      #0x3ff           jt 21	jf 20
(020) ret      #262144
(021) ret      #0
