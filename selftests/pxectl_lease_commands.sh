#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `pxectl lease`: leases are added (with expiry, client id and host name),
# shown (text and JSON), deleted and flushed; `lease restore` checks the
# whole file before adding anything; every mistake is refused with exit 1
# and a message naming the MAC, the entry or the cause.
#
#   +-----------------------------------------+
#   | $ns1                                    |
#   |   d1 10.0.1.1/24, pxe link, pool "lan"  |
#   +-----------------------------------------+
set -e
source "$(dirname "$0")/lib.sh"

ensure_module
netns_add "$ns1"
dummy_add "$ns1" d1 10.0.1.1/24
pxe1 link add dev d1
pxe1 pool add lan dev d1 range 10.0.1.100 10.0.1.199 lease 900
dir=$(mktemp -d)
cleanup_test() { rm -rf "$dir"; }

behaviour lease_add_then_show_lists_it
pxe1 lease add 52:54:00:00:00:11 ip 10.0.1.100 expires 100
pxe1 lease add 52:54:00:00:00:12 ip 10.0.1.101 client-id ff00aa hostname pc12
out=$(pxe1 lease show)
# (a slow VM may take seconds between add and show)
[[ $out =~ ^"mac 52:54:00:00:00:11 ip 10.0.1.100 expires "(9[0-9]|100)" state bound pool lan client-id 01525400000011"$'\n'"mac 52:54:00:00:00:12 ip 10.0.1.101 expires "(8[89][0-9]|900)" state bound pool lan client-id ff00aa hostname pc12"$ ]] ||
	{ log "lease show printed: $out"; false; }
expect_eq "lease show -j" '[["52:54:00:00:00:11", "10.0.1.100", "bound", "lan", "01525400000011", null], ["52:54:00:00:00:12", "10.0.1.101", "bound", "lan", "ff00aa", "pc12"]]' \
	"$(pxe1 -j lease show | json_query 'sorted([l["mac"], l["ip"], l["state"], l["pool"], l["client_id"], l.get("hostname")] for l in j)')"
expect_eq "lease alone shows" "2" "$(pxe1 -j lease | json_query 'len(j)')"

behaviour kernel_refusals_name_the_cause
expect_error "pxectl: lease add 52:54:00:00:00:13: address is leased to another client" \
	pxe1 lease add 52:54:00:00:00:13 ip 10.0.1.100
expect_error "pxectl: lease add 52:54:00:00:00:13: lease address is outside every pool" \
	pxe1 lease add 52:54:00:00:00:13 ip 10.9.0.1
expect_error "pxectl: lease del 52:54:00:00:00:99: no lease for this MAC" \
	pxe1 lease del 52:54:00:00:00:99

behaviour argument_errors_are_named
expect_error "pxectl: lease add: missing MAC" pxe1 lease add
expect_error "pxectl: lease add 52:54:00:00:00:13: missing argument 'ip ADDR' or 'ip6 ADDR6'" \
	pxe1 lease add 52:54:00:00:00:13
expect_error "pxectl: lease add: invalid MAC '52:54:00:00:00' (expected a MAC address like 52:54:00:12:34:56)" \
	pxe1 lease add 52:54:00:00:00 ip 10.0.1.102
expect_error "pxectl: lease add 52:54:00:00:00:13: invalid expires '0' (expected a number from 1 to 4294967295)" \
	pxe1 lease add 52:54:00:00:00:13 ip 10.0.1.102 expires 0
expect_error "pxectl: lease add 52:54:00:00:00:13: invalid client-id '0g' (expected 1 to 255 bytes in hex)" \
	pxe1 lease add 52:54:00:00:00:13 ip 10.0.1.102 client-id 0g
expect_error "pxectl: lease add 52:54:00:00:00:13: invalid hostname '' (1 to 63 characters)" \
	pxe1 lease add 52:54:00:00:00:13 ip 10.0.1.102 hostname ""
expect_error "pxectl: lease del: missing MAC" pxe1 lease del
expect_error "pxectl: lease del: unexpected argument after the MAC" \
	pxe1 lease del 52:54:00:00:00:11 52:54:00:00:00:12
expect_error "pxectl: lease show: unexpected argument 'all'" pxe1 lease show all
expect_error "pxectl: lease flush: unexpected argument 'now'" pxe1 lease flush now
expect_error "pxectl: lease restore: missing FILE ('-' for standard input)" \
	pxe1 lease restore
expect_error "pxectl: lease restore: cannot read '$dir/none.json': No such file or directory" \
	pxe1 lease restore "$dir/none.json"
expect_error "pxectl: -:1: lease restore: cannot read leases from standard input: it holds the batch" \
	pxe1 -b - <<<"lease restore -"
expect_eq "leases after the refusals" 2 "$(pxe1 -j lease show | json_query 'len(j)')"

behaviour restore_refuses_a_bad_file_and_adds_nothing
pxe1 -j lease show >"$dir/saved.json"
pxe1 lease flush
good='{"mac":"52:54:00:00:00:21","ip":"10.0.1.110","expires":60,"state":"bound","pool":"lan"}'
restore_error() {	# FILE-CONTENT MESSAGE
	printf '%s' "$1" >"$dir/bad.json"
	expect_error "pxectl: lease restore: $dir/bad.json: $2" pxe1 lease restore "$dir/bad.json"
}
restore_error "[$good, {\"mac\":\"52:54:00:00:00:22\",\"expires\":1,\"state\":\"bound\"}]" \
	"entry 1: missing field 'ip'"
restore_error "[$good, $good, {\"mac\":\"52:54:00:00:00:22\",\"ip\":\"10.0.1.111\",\"expires\":1}]" \
	"entry 2: missing field 'state'"
restore_error "[$good, {\"mac\":\"52:54:00:00:00:22\",\"ip\":\"10.0.1.111\",\"state\":\"bound\"}]" \
	"entry 1: missing field 'expires'"
restore_error "[$good, {\"mac\":\"52:54:00:00:00:22\",\"ip\":10}]" \
	"entry 1: field 'ip' is not a string"
restore_error "[$good, {\"mac\":\"52:54:00:00:00:22\",\"ip\":\"10.0.1.111\",\"expires\":1,\"state\":\"held\"}]" \
	"entry 1: invalid state 'held' (expected offered, bound or declined)"
restore_error "[$good, {\"mac\":\"52:54:00:00:00:22\",\"ip\":\"10.0.1.111\",\"expires\":-1,\"state\":\"bound\"}]" \
	"entry 1: invalid expires '-1' (expected a number from 0 to 4294967295)"
restore_error "[$good, {\"mac\":\"52:54:00:00:00:22\" \"ip\":\"10.0.1.111\"}]" \
	"entry 1: invalid JSON (object value separator ',' expected)"
restore_error "[$good, 7]" "entry 1: not a JSON object"
restore_error "[$good," "entry 1: invalid JSON (unexpected end of data)"
restore_error "$good" "not a JSON array (expected what 'pxectl -j lease show' prints)"
restore_error "[$good] []" "unexpected text after the JSON array"
expect_eq "leases after the bad files" "[]" "$(pxe1 -j lease show)"

behaviour restore_adds_bound_leases_and_skips_offers
printf '[%s, %s]' "$good" \
	'{"mac":"52:54:00:00:00:23","ip":"10.0.1.112","expires":30,"state":"offered","pool":"lan"}' \
	>"$dir/mixed.json"
expect_eq "restore output" "restored 1 lease" "$(pxe1 lease restore "$dir/mixed.json")"
expect_eq "leases after restore" '[["52:54:00:00:00:21", "10.0.1.110", "bound"]]' \
	"$(pxe1 -j lease show | json_query '[[l["mac"], l["ip"], l["state"]] for l in j]')"
expect_eq "restore -j output" '{"restored":2,"expired":0}' "$(pxe1 -j lease restore - <"$dir/saved.json")"
expect_eq "restore of [] " "restored 0 leases" "$(echo '[]' | pxe1 lease restore -)"

behaviour restore_counts_the_age_of_the_file
pxe1 lease flush
printf '[%s, %s]' \
	'{"mac":"52:54:00:00:00:31","ip":"10.0.1.120","expires":60,"state":"bound","pool":"lan"}' \
	'{"mac":"52:54:00:00:00:32","ip":"10.0.1.121","expires":1000,"state":"bound","pool":"lan"}' \
	>"$dir/old.json"
touch -d '-100 seconds' "$dir/old.json"
expect_eq "restore output" "restored 1 lease (1 expired since the file was written)" \
	"$(pxe1 lease restore "$dir/old.json")"
left=$(pxe1 -j lease show | json_query '[l["expires"] for l in j if l["mac"] == "52:54:00:00:00:32"][0]')
[ "$left" -le 900 ] && [ "$left" -ge 890 ] ||
	{ log "restored lease expires in $left s, expected 900 less a moment"; false; }
expect_eq "leases after restoring an old file" "52:54:00:00:00:32" \
	"$(pxe1 -j lease show | json_query '" ".join(l["mac"] for l in j)')"
pxe1 lease restore - <"$dir/saved.json" >/dev/null

behaviour lease_del_and_flush_remove_leases
pxe1 lease del 52:54:00:00:00:32
expect_eq "macs after del" "52:54:00:00:00:11 52:54:00:00:00:12" \
	"$(pxe1 -j lease show | json_query '" ".join(sorted(l["mac"] for l in j))')"
pxe1 lease flush
expect_eq "leases after flush" "[]" "$(pxe1 -j lease show)"
