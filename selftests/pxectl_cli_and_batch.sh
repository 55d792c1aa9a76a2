#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# pxectl's own surface: version, help, unknown words, iproute2-style
# prefixes, debug output, and batch files -- one command per line, comments
# and blank lines skipped, stopping at the first failing line and naming it,
# with the lines before it applied.
#
#   +-----------------------------------------+
#   | $ns1                                    |
#   |   d1 10.0.1.1/24   d2 10.0.2.1/24       |
#   |   d3 10.0.3.1/24   d4 10.0.4.1/24       |
#   +-----------------------------------------+
set -e
source "$(dirname "$0")/lib.sh"

ensure_module
netns_add "$ns1"
for i in 1 2 3 4; do dummy_add "$ns1" "d$i" "10.0.$i.1/24"; done
batch=$(mktemp)
cleanup_test() { rm -f "$batch"; }

behaviour version_prints_name_and_version
out=$(pxe0 -V)
[[ $out =~ ^pxectl\ [0-9] ]] || { log "pxectl -V printed: $out"; false; }

behaviour help_exits_0_and_lists_objects
out=$(pxe0 --help)
[[ $out == *link* ]] || { log "pxectl --help printed: $out"; false; }
out=$(pxe0 link help)
[[ $out == *"link add dev IFNAME"* ]] || { log "pxectl link help printed: $out"; false; }

behaviour no_object_prints_usage_and_exits_1
expect_error_containing "Usage" pxe0

behaviour unknown_words_are_quoted
expect_error_containing "pxectl: unknown object 'frob'" pxe0 frob
expect_error_containing "pxectl: link: unknown command 'frob'" pxe0 link frob
expect_error "pxectl: link add: unknown argument 'frob'" pxe0 link add dev d1 frob

behaviour help_object_and_object_help_agree
for object in link pool host boot lease image stats settings monitor; do
	out=$(pxe0 help "$object")
	[[ $out == *"pxectl "*"$object"* ]] || { log "pxectl help $object printed: $out"; false; }
	expect_eq "pxectl $object help" "$out" "$(pxe0 "$object" help)"
done
expect_eq "pxectl help help" "$(pxe0 help)" "$(pxe0 help help)"
expect_error "pxectl: unknown object 'frob'
Try 'pxectl help' for the list of objects." pxe0 help frob

behaviour unambiguous_prefixes_work
pxe1 li a dev d1
expect_eq "pxectl li sh" "dev d1" "$(pxe1 li sh | cut -d' ' -f1-2)"
expect_eq "pxectl le s" "[]" "$(pxe1 -j le s)"
expect_eq "pxectl st" "$(pxe1 -j stats)" "$(pxe1 -j st)"
expect_eq "pxectl se sh" "$(pxe1 -j settings show)" "$(pxe1 -j se sh)"
pxe1 link d dev d1
got=$(pxe1 link show)	# fails the test when the query fails
expect_eq "pxectl link d = del" "" "$got"

behaviour ambiguous_prefixes_name_the_candidates
expect_error "pxectl: ambiguous object 's': 'stats' or 'settings'?" pxe1 s
expect_error "pxectl: ambiguous object 'l': 'link' or 'lease'?" pxe1 l show
expect_error "pxectl: image: ambiguous command 'l': 'load' or 'list'?" pxe1 image l
expect_error "pxectl: lease: unknown command 'frob'
Try 'pxectl lease help' for the list of commands." pxe1 lease frob

behaviour debug_dumps_netlink_messages
err=$(pxe1 -d link show 2>&1 >/dev/null)
[[ $err == *"NETLINK MESSAGE"* ]] || { log "pxectl -d stderr: $err"; false; }

behaviour netns_option_acts_in_the_named_namespace
# What `ip netns exec NS pxectl` sees, without ip (lib.sh's pxe1 uses -n).
ip netns exec "$ns1" "$PXECTL" link add dev d4
expect_eq "link show -n" "$(ip netns exec "$ns1" "$PXECTL" -j link show)" \
	"$("$PXECTL" -n "$ns1" -j link show)"
expect_eq "link show --netns" "$(ip netns exec "$ns1" "$PXECTL" link show)" \
	"$("$PXECTL" --netns "$ns1" link show)"
"$PXECTL" -n "$ns1" link del dev d4
expect_eq "d4 after link del -n" "" \
	"$(ip netns exec "$ns1" "$PXECTL" -j link show | jq -r '.[] | select(.dev == "d4") | .dev')"
expect_eq "links of the initial namespace named d4" 0 \
	"$("$PXECTL" -j link show | jq '[.[] | select(.dev == "d4")] | length')"

behaviour netns_option_errors_are_named
expect_error "pxectl: cannot enter network namespace 'pxe-no-such-netns': No such file or directory" \
	pxe0 -n pxe-no-such-netns link show
expect_error "pxectl: 'a/b' is not a network namespace name" pxe0 -n a/b link show
expect_error "pxectl: '..' is not a network namespace name" pxe0 --netns .. link show
expect_error "pxectl: '' is not a network namespace name" pxe0 -n '' link show
expect_error "pxectl: option '-n' needs a network namespace NAME" pxe0 -n
expect_error "pxectl: cannot enter network namespace '$ns1': Operation not permitted" \
	"${NOBODY[@]}" "$PXECTL" -n "$ns1" link show

behaviour batch_applies_every_line
cat >"$batch" <<'CONF'
# a whole configuration is a list of commands

link add dev d1   # trailing comment
link add dev d2 server 10.0.2.9
CONF
pxe1 -b "$batch"
expect_eq "links after the batch" "d1 d2" "$(link_devs "$ns1")"
expect_eq "server from the batch" 10.0.2.9 "$(link_field "$ns1" d2 server)"
pxe1 link del dev d1
pxe1 link del dev d2

behaviour batch_error_names_file_and_line_and_keeps_earlier_lines
cat >"$batch" <<'CONF'
# lines 1-6 apply
link add dev d1

link add dev d2
# a comment
link add dev d3
link add dev nosuch0
link add dev d4
CONF
expect_error "pxectl: $batch:7: link add dev nosuch0: no such network device" \
	pxe1 -b "$batch"
expect_eq "links after the failed batch" "d1 d2 d3" "$(link_devs "$ns1")"

behaviour batch_from_stdin_names_line_with_dash
expect_error "pxectl: -:2: link add dev d1: device already has a pxe link" \
	n1 "$PXECTL" -b - <<'CONF'
link add dev d4
link add dev d1
CONF
expect_eq "links after the stdin batch" "d1 d2 d3 d4" "$(link_devs "$ns1")"

behaviour batch_argument_error_names_line
printf 'link show\nlink add dev\n' >"$batch"
expect_error "pxectl: $batch:2: link add: 'dev' needs a value" pxe1 -b "$batch"

behaviour batch_missing_file_is_named
expect_error_containing "pxectl: cannot open batch file '/nonexistent/pxe.conf'" \
	pxe1 -b /nonexistent/pxe.conf

behaviour json_show_inside_batch
printf 'link show\n' >"$batch"
expect_eq "devices from -j -b" "d1 d2 d3 d4" \
	"$(pxe1 -j -b "$batch" | json_query "' '.join(sorted(l['dev'] for l in j))")"
