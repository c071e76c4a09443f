(000) ldb      [0]
(001) and      #0xf0
(002) jeq      #0x60            jt 3	jf 20
(003) ld       [8]
(004) jeq      #0xfe800000      jt 5	jf 11
(005) ld       [12]
(006) jeq      #0x0             jt 7	jf 11
(007) ld       [16]
(008) jeq      #0x0             jt 9	jf 11
(009) ld       [20]
(010) jeq      #0x1             jt 19	jf 11
(011) ld       [24]
(012) jeq      #0xfe800000      jt 13	jf 20
(013) ld       [28]
(014) jeq      #0x0             jt 15	jf 20
(015) ld       [32]
(016) jeq      #0x0             jt 17	jf 20
(017) ld       [36]
(018) jeq      #0x1             jt 19	jf 20
(019) ret      #262144
(020) ret      #0
