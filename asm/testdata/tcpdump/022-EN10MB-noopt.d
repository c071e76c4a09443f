(000) ldh      [12]
(001) jeq      #0x800           jt 2	jf 5
(002) ld       [26]
(003) and      #0xffff0000
(004) jeq      #0xc0a80000      jt 15	jf 5
(005) ldh      [12]
(006) jeq      #0x806           jt 7	jf 10
(007) ld       [28]
(008) and      #0xffff0000
(009) jeq      #0xc0a80000      jt 15	jf 10
(010) ldh      [12]
(011) jeq      #0x8035          jt 12	jf 31
(012) ld       [28]
(013) and      #0xffff0000
(014) jeq      #0xc0a80000      jt 15	jf 31
(015) ldh      [12]
(016) jeq      #0x800           jt 17	jf 20
(017) ld       [30]
(018) and      #0xffff0000
(019) jeq      #0xc0a80000      jt 31	jf 20
(020) ldh      [12]
(021) jeq      #0x806           jt 22	jf 25
(022) ld       [38]
(023) and      #0xffff0000
(024) jeq      #0xc0a80000      jt 31	jf 25
(025) ldh      [12]
(026) jeq      #0x8035          jt 27	jf 30
(027) ld       [38]
(028) and      #0xffff0000
(029) jeq      #0xc0a80000      jt 31	jf 30
(030) ret      #262144
(031) ret      #0
