(000) ldh      [12]
(001) jeq      #0x800           jt 2	jf 5
(002) ld       [26]
(003) and      #0xffffff00
(004) jeq      #0xa010200       jt 30	jf 5
(005) ldh      [12]
(006) jeq      #0x800           jt 7	jf 10
(007) ld       [30]
(008) and      #0xffffff00
(009) jeq      #0xa010200       jt 30	jf 10
(010) ldh      [12]
(011) jeq      #0x806           jt 12	jf 15
(012) ld       [28]
(013) and      #0xffffff00
(014) jeq      #0xa010200       jt 30	jf 15
(015) ldh      [12]
(016) jeq      #0x806           jt 17	jf 20
(017) ld       [38]
(018) and      #0xffffff00
(019) jeq      #0xa010200       jt 30	jf 20
(020) ldh      [12]
(021) jeq      #0x8035          jt 22	jf 25
(022) ld       [28]
(023) and      #0xffffff00
(024) jeq      #0xa010200       jt 30	jf 25
(025) ldh      [12]
(026) jeq      #0x8035          jt 27	jf 31
(027) ld       [38]
(028) and      #0xffffff00
(029) jeq      #0xa010200       jt 30	jf 31
(030) ret      #262144
(031) ret      #0
