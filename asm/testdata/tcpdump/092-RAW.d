(000) ldb      [0]
(001) and      #0xf0
(002) jeq      #0x60            jt 3	jf 35
(003) ldb      [6]
(004) jeq      #0x84            jt 7	jf 5
(005) jeq      #0x6             jt 7	jf 6
(006) jeq      #0x11            jt 7	jf 98
(007) ldh      [40]
(008) jeq      #0x1             jt 97	jf 9
(009) jeq      #0x2             jt 97	jf 10
(010) jeq      #0x3             jt 97	jf 11
(011) jeq      #0x4             jt 97	jf 12
(012) jeq      #0x5             jt 97	jf 13
(013) jeq      #0x6             jt 97	jf 14
(014) jeq      #0x7             jt 97	jf 15
(015) jeq      #0x8             jt 97	jf 16
(016) jeq      #0x9             jt 97	jf 17
(017) jeq      #0xa             jt 97	jf 18
(018) jeq      #0xb             jt 97	jf 19
(019) jeq      #0xc             jt 97	jf 20
(020) jeq      #0xd             jt 97	jf 21
(021) jeq      #0xe             jt 97	jf 22
(022) jeq      #0xf             jt 97	jf 23
(023) jeq      #0x10            jt 97	jf 24
(024) jeq      #0x11            jt 97	jf 25
(025) jeq      #0x12            jt 97	jf 26
(026) jeq      #0x13            jt 97	jf 27
(027) jeq      #0x14            jt 97	jf 28
(028) jeq      #0x15            jt 97	jf 29
(029) jeq      #0x16            jt 97	jf 30
(030) jeq      #0x17            jt 97	jf 31
(031) jeq      #0x18            jt 97	jf 32
(032) jeq      #0x19            jt 97	jf 33
(033) ldh      [42]
(034) jeq      #0x1             jt 97	jf 73
(035) ldb      [0]
(036) and      #0xf0
(037) jeq      #0x40            jt 38	jf 98
(038) ldb      [9]
(039) jeq      #0x84            jt 42	jf 40
(040) jeq      #0x6             jt 42	jf 41
(041) jeq      #0x11            jt 42	jf 98
(042) ldh      [6]
(043) jset     #0x1fff          jt 98	jf 44
(044) ldxb     4*([0]&0xf)
(045) ldh      [x + 0]
(046) jeq      #0x1             jt 97	jf 47
(047) jeq      #0x2             jt 97	jf 48
(048) jeq      #0x3             jt 97	jf 49
(049) jeq      #0x4             jt 97	jf 50
(050) jeq      #0x5             jt 97	jf 51
(051) jeq      #0x6             jt 97	jf 52
(052) jeq      #0x7             jt 97	jf 53
(053) jeq      #0x8             jt 97	jf 54
(054) jeq      #0x9             jt 97	jf 55
(055) jeq      #0xa             jt 97	jf 56
(056) jeq      #0xb             jt 97	jf 57
(057) jeq      #0xc             jt 97	jf 58
(058) jeq      #0xd             jt 97	jf 59
(059) jeq      #0xe             jt 97	jf 60
(060) jeq      #0xf             jt 97	jf 61
(061) jeq      #0x10            jt 97	jf 62
(062) jeq      #0x11            jt 97	jf 63
(063) jeq      #0x12            jt 97	jf 64
(064) jeq      #0x13            jt 97	jf 65
(065) jeq      #0x14            jt 97	jf 66
(066) jeq      #0x15            jt 97	jf 67
(067) jeq      #0x16            jt 97	jf 68
(068) jeq      #0x17            jt 97	jf 69
(069) jeq      #0x18            jt 97	jf 70
(070) jeq      #0x19            jt 97	jf 71
(071) ldh      [x + 2]
(072) jeq      #0x1             jt 97	jf 73
(073) jeq      #0x2             jt 97	jf 74
(074) jeq      #0x3             jt 97	jf 75
(075) jeq      #0x4             jt 97	jf 76
(076) jeq      #0x5             jt 97	jf 77
(077) jeq      #0x6             jt 97	jf 78
(078) jeq      #0x7             jt 97	jf 79
(079) jeq      #0x8             jt 97	jf 80
(080) jeq      #0x9             jt 97	jf 81
(081) jeq      #0xa             jt 97	jf 82
(082) jeq      #0xb             jt 97	jf 83
(083) jeq      #0xc             jt 97	jf 84
(084) jeq      #0xd             jt 97	jf 85
(085) jeq      #0xe             jt 97	jf 86
(086) jeq      #0xf             jt 97	jf 87
(087) jeq      #0x10            jt 97	jf 88
(088) jeq      #0x11            jt 97	jf 89
(089) jeq      #0x12            jt 97	jf 90
(090) jeq      #0x13            jt 97	jf 91
(091) jeq      #0x14            jt 97	jf 92
(092) jeq      #0x15            jt 97	jf 93
(093) jeq      #0x16            jt 97	jf 94
(094) jeq      #0x17            jt 97	jf 95
(095) jeq      #0x18            jt 97	jf 96
(096) jeq      #0x19            jt 97	jf 98
(097) ret      #262144
(098) ret      #0
