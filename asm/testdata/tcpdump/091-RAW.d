(000) ldb      [0]
(001) and      #0xf0
(002) jeq      #0x40            jt 3	jf 66
(003) ld       [12]
(004) jeq      #0xa000001       jt 65	jf 5
(005) jeq      #0xa000002       jt 65	jf 6
(006) jeq      #0xa000003       jt 65	jf 7
(007) jeq      #0xa000004       jt 65	jf 8
(008) jeq      #0xa000005       jt 65	jf 9
(009) jeq      #0xa000006       jt 65	jf 10
(010) jeq      #0xa000007       jt 65	jf 11
(011) jeq      #0xa000008       jt 65	jf 12
(012) jeq      #0xa000009       jt 65	jf 13
(013) jeq      #0xa00000a       jt 65	jf 14
(014) jeq      #0xa00000b       jt 65	jf 15
(015) jeq      #0xa00000c       jt 65	jf 16
(016) jeq      #0xa00000d       jt 65	jf 17
(017) jeq      #0xa00000e       jt 65	jf 18
(018) jeq      #0xa00000f       jt 65	jf 19
(019) jeq      #0xa000010       jt 65	jf 20
(020) jeq      #0xa000011       jt 65	jf 21
(021) jeq      #0xa000012       jt 65	jf 22
(022) jeq      #0xa000013       jt 65	jf 23
(023) jeq      #0xa000014       jt 65	jf 24
(024) jeq      #0xa000015       jt 65	jf 25
(025) jeq      #0xa000016       jt 65	jf 26
(026) jeq      #0xa000017       jt 65	jf 27
(027) jeq      #0xa000018       jt 65	jf 28
(028) jeq      #0xa000019       jt 65	jf 29
(029) jeq      #0xa00001a       jt 65	jf 30
(030) jeq      #0xa00001b       jt 65	jf 31
(031) jeq      #0xa00001c       jt 65	jf 32
(032) jeq      #0xa00001d       jt 65	jf 33
(033) jeq      #0xa00001e       jt 65	jf 34
(034) ld       [16]
(035) jeq      #0xa000001       jt 65	jf 36
(036) jeq      #0xa000002       jt 65	jf 37
(037) jeq      #0xa000003       jt 65	jf 38
(038) jeq      #0xa000004       jt 65	jf 39
(039) jeq      #0xa000005       jt 65	jf 40
(040) jeq      #0xa000006       jt 65	jf 41
(041) jeq      #0xa000007       jt 65	jf 42
(042) jeq      #0xa000008       jt 65	jf 43
(043) jeq      #0xa000009       jt 65	jf 44
(044) jeq      #0xa00000a       jt 65	jf 45
(045) jeq      #0xa00000b       jt 65	jf 46
(046) jeq      #0xa00000c       jt 65	jf 47
(047) jeq      #0xa00000d       jt 65	jf 48
(048) jeq      #0xa00000e       jt 65	jf 49
(049) jeq      #0xa00000f       jt 65	jf 50
(050) jeq      #0xa000010       jt 65	jf 51
(051) jeq      #0xa000011       jt 65	jf 52
(052) jeq      #0xa000012       jt 65	jf 53
(053) jeq      #0xa000013       jt 65	jf 54
(054) jeq      #0xa000014       jt 65	jf 55
(055) jeq      #0xa000015       jt 65	jf 56
(056) jeq      #0xa000016       jt 65	jf 57
(057) jeq      #0xa000017       jt 65	jf 58
(058) jeq      #0xa000018       jt 65	jf 59
(059) jeq      #0xa000019       jt 65	jf 60
(060) jeq      #0xa00001a       jt 65	jf 61
(061) jeq      #0xa00001b       jt 65	jf 62
(062) jeq      #0xa00001c       jt 65	jf 63
(063) jeq      #0xa00001d       jt 65	jf 64
(064) jeq      #0xa00001e       jt 65	jf 66
(065) ret      #262144
(066) ret      #0
