(000) ldh      [12]
(001) jeq      #0x86dd          jt 2	jf 8
(002) ldb      [20]
(003) jeq      #0x6             jt 4	jf 8
(004) ldh      [54]
(005) jeq      #0x50            jt 20	jf 6
(006) ldh      [56]
(007) jeq      #0x50            jt 20	jf 8
(008) ldh      [12]
(009) jeq      #0x800           jt 10	jf 21
(010) ldb      [23]
(011) jeq      #0x6             jt 12	jf 21
(012) ldh      [20]
(013) jset     #0x1fff          jt 21	jf 14
(014) ldxb     4*([14]&0xf)
(015) ldh      [x + 14]
(016) jeq      #0x50            jt 20	jf 17
(017) ldxb     4*([14]&0xf)
(018) ldh      [x + 16]
(019) jeq      #0x50            jt 20	jf 21
(020) ret      #262144
(021) ret      #0
