#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The root of a user namespace runs its own server in the network
# namespaces it owns, but its limits stay under host-wide ceilings, module
# parameters only the initial namespace's administrator changes: a
# container cannot give itself the host's memory.
#
#   +-----------------------------------------------------------+
#   | unshare -U -r -n  (netns owned by a child user namespace) |
#   |   settings set image-memory 1T      refused, names the    |
#   |   settings set tftp-sessions 4096   ceiling               |
#   |   settings set image-memory 256M    allowed (= ceiling)   |
#   |                                                           |
#   |   nsenter -n from the host's root   1T allowed            |
#   +-----------------------------------------------------------+
#   +-----------------------------------------------------------+
#   | $ns1 (owned by the initial user namespace)                |
#   |   settings set image-memory 1T      allowed               |
#   +-----------------------------------------------------------+
set -e
source "$(dirname "$0")/lib.sh"

PARAMS=/sys/module/pxe/parameters
IMAGE_MSG="image memory is above the host's ceiling, module parameter pxe.max_image_memory (/sys/module/pxe/parameters/max_image_memory)"
SESSIONS_MSG="TFTP sessions are above the host's ceiling, module parameter pxe.max_tftp_sessions (/sys/module/pxe/parameters/max_tftp_sessions)"
PER_CLIENT_MSG="TFTP sessions per client are above the host's ceiling, module parameter pxe.max_tftp_sessions (/sys/module/pxe/parameters/max_tftp_sessions)"
CONTAINER_PID=""

cleanup_test() {
	[ -z "$CONTAINER_PID" ] || kill "$CONTAINER_PID"
	userns_clone_restore
	[ -z "${saved_image:-}" ] || echo "$saved_image" >$PARAMS/max_image_memory
	[ -z "${saved_sessions:-}" ] || echo "$saved_sessions" >$PARAMS/max_tftp_sessions
}

# in_userns CMD...: CMD as root of a new user namespace, in a new network
# namespace it owns, made by an unprivileged user: what the root of a
# container whose root is not the host's root has.
in_userns() { "${NOBODY[@]}" unshare -U -r -n "$@"; }

# limit_in_userns FIELD: a field of `settings show` in a new container.
limit_in_userns() { in_userns "$PXECTL" -j settings show | json_query "j[0]['$1']"; }

ensure_module
userns_clone_allow

behaviour ceilings_are_module_parameters_with_their_defaults
saved_image=$(cat $PARAMS/max_image_memory)
saved_sessions=$(cat $PARAMS/max_tftp_sessions)
expect_eq "max_image_memory" $((256 << 20)) "$saved_image"
expect_eq "max_tftp_sessions" 1024 "$saved_sessions"

behaviour container_cannot_raise_image_memory_above_the_ceiling
expect_error "pxectl: settings set: $IMAGE_MSG" \
	in_userns "$PXECTL" settings set image-memory 1T
expect_error "pxectl: settings set: $IMAGE_MSG" \
	in_userns "$PXECTL" settings set image-memory $(((256 << 20) + 1))

behaviour container_cannot_raise_tftp_sessions_above_the_ceiling
expect_error "pxectl: settings set: $SESSIONS_MSG" \
	in_userns "$PXECTL" settings set tftp-sessions 1025
expect_error "pxectl: settings set: $PER_CLIENT_MSG" \
	in_userns "$PXECTL" settings set tftp-per-client 1025

behaviour refused_request_changes_nothing
# shellcheck disable=SC2016 # expanded by the inner shell
out=$(in_userns sh -c '"$1" settings set tftp-sessions 100 image-memory 1T 2>/dev/null; "$1" -j settings show' sh "$PXECTL")
expect_eq "image_memory, tftp_sessions after a refused set" \
	"$((64 << 20)) 64" "$(json_query '"%d %d" % (j[0]["image_memory"], j[0]["tftp_sessions"])' <<<"$out")"

behaviour container_may_go_up_to_the_ceiling
# shellcheck disable=SC2016
out=$(in_userns sh -c '"$1" settings set image-memory 256M tftp-sessions 1024 tftp-per-client 1024 && "$1" -j settings show' sh "$PXECTL")
expect_eq "image_memory tftp_sessions tftp_per_client" \
	"$((256 << 20)) 1024 1024" \
	"$(json_query '"%d %d %d" % (j[0]["image_memory"], j[0]["tftp_sessions"], j[0]["tftp_per_client"])' <<<"$out")"

behaviour initial_namespace_has_no_ceiling
netns_add "$ns1"
pxe1 settings set image-memory 1T tftp-sessions 100000
expect_eq "image_memory in $ns1" $((1 << 40)) \
	"$(pxe1 -j settings show | json_query "j[0]['image_memory']")"

behaviour host_root_lifts_the_ceiling_in_a_container_netns
"${NOBODY[@]}" unshare -U -r -n sleep 600 &
CONTAINER_PID=$!
# Up once the child has its namespaces.
for _ in $(seq 50); do
	[ "$(readlink /proc/$CONTAINER_PID/ns/net)" != "$(readlink /proc/self/ns/net)" ] && break
	sleep 0.1
done
nsenter -t "$CONTAINER_PID" -n "$PXECTL" settings set image-memory 1T
expect_eq "image_memory set by the host's root" $((1 << 40)) \
	"$(nsenter -t "$CONTAINER_PID" -n "$PXECTL" -j settings show | json_query "j[0]['image_memory']")"
# The container's own root still cannot go above the ceiling itself.
expect_error "pxectl: settings set: $IMAGE_MSG" \
	nsenter -t "$CONTAINER_PID" -U -n "$PXECTL" settings set image-memory 2T

behaviour raised_parameter_raises_the_ceiling
echo $((2 << 40)) >$PARAMS/max_image_memory
in_userns "$PXECTL" settings set image-memory 1T

behaviour lowered_parameter_lowers_new_containers_defaults
echo $((32 << 20)) >$PARAMS/max_image_memory
echo 16 >$PARAMS/max_tftp_sessions
expect_eq "image_memory of a new container" $((32 << 20)) "$(limit_in_userns image_memory)"
expect_eq "tftp_sessions of a new container" 16 "$(limit_in_userns tftp_sessions)"
expect_eq "tftp_per_client of a new container" 8 "$(limit_in_userns tftp_per_client)"
expect_eq "image_memory of a new namespace of the host" $((64 << 20)) \
	"$(unshare -n "$PXECTL" -j settings show | json_query "j[0]['image_memory']")"

behaviour container_cannot_write_the_parameters
expect_error_containing "Permission denied" \
	in_userns sh -c "echo 1 >$PARAMS/max_image_memory || exit 1"
