# SPDX-License-Identifier: ISC
# Tests of files inside containers (hfs images, hako-mkfs); sourced by tests/run.
MKFS=$B/bin/hako-mkfs
fsimg=$T/fs.img

# What the container must print for each file of tests/fs/: "cksum CRC SIZE /path".
fs_sums=()
while read -r crc size path; do
	fs_sums+=(-f "cksum $crc $size ${path#tests/fs}")
done < <(find tests/fs -type f | LC_ALL=C sort | xargs cksum)
fs_read_ok=("${fs_sums[@]}" -e '^fs_read: ls /: \. \.\. data\.bin hello\.txt sub$' -e '^fs_read: getcwd = /sub/deeper$'
	-e '^fs_read: first line: hello from the hako file system$' -e '^fs_read: fs_read read ok$' -n FAILED)

echo "files: proc platform"
prun=("$HAKO" run --platform proc)
check fs/proc-read 0 "${fs_read_ok[@]}" -- "${prun[@]}" -v "$fsimg:ro" "$T/fs_read.elf"
check fs/proc-read-writable-device 0 "${fs_read_ok[@]}" -- "${prun[@]}" -v "$fsimg" "$T/fs_read.elf"
check fs/proc-no-device 0 -e '^fs_read: fs_read none ok$' -e '^fs_read: getcwd = /$' -n FAILED \
	-- "${prun[@]}" "$T/fs_read.elf" none
head -c 65536 /dev/zero >"$TMP/raw.img"
check fs/proc-raw-device 0 -e '^fs_read: fs_read none ok$' -n FAILED -n 'block device' \
	-- "${prun[@]}" -v "$TMP/raw.img:ro" "$T/fs_read.elf" none
# A damaged image is refused with one line and the container runs without files.
head -c 2048 "$fsimg" >"$TMP/short.img"
check fs/proc-truncated-image 0 -e '^fs_read: fs_read none ok$' -n FAILED \
	-e '^fs_read: hako-libos: block device: hfs image refused: image larger than the device \(truncated\?\)$' \
	-- "${prun[@]}" -v "$TMP/short.img:ro" "$T/fs_read.elf" none
cp "$fsimg" "$TMP/cycle.img" # the root's first entry (data.bin) pointed back at the root
printf '\0\0\0\0' | dd of="$TMP/cycle.img" bs=1 seek=$((0x$(od -An -tx4 -j52 -N4 "$fsimg" | tr -d ' '))) \
	conv=notrunc status=none
check fs/proc-cyclic-image 0 -e '^fs_read: fs_read none ok$' -n FAILED \
	-e '^fs_read: hako-libos: block device: hfs image refused: entry points to a lower or missing inode \(cycle\?\)$' \
	-- "${prun[@]}" -v "$TMP/cycle.img:ro" "$T/fs_read.elf" none

echo "files: hv platform"
# The hv takes block devices when its help says so, or when it accepts -v for a bundle.
hrun=("$HAKO" run --platform hv)
if "${hrun[@]}" --help 2>&1 | grep -Eq -- '(^|[ ,[])-v([] ,]|$)' ||
	"${hrun[@]}" --bundle-out "$TMP/probe.bundle" -v "$fsimg:ro" "$T/fs_read.elf" >/dev/null 2>&1; then
	check fs/hv-read 0 "${fs_sums[@]}" -e '^fs_read: ls /: \. \.\. data\.bin hello\.txt sub$' \
		-e '^fs_read: getcwd = /sub/deeper$' -e '^fs_read: fs_read read ok$' -n FAILED -p no_page_leak \
		-- "${hrun[@]}" -v "$fsimg:ro" "$T/fs_read.elf"
	check fs/hv-no-device 0 -e '^fs_read: fs_read none ok$' -n FAILED -- "${hrun[@]}" "$T/fs_read.elf" none
	check fs/hv-cyclic-image 0 -e '^fs_read: fs_read none ok$' -n FAILED \
		-e 'hako-libos: block device: hfs image refused: entry points to a lower or missing inode' \
		-- "${hrun[@]}" -v "$TMP/cycle.img:ro" "$T/fs_read.elf" none
else
	printf '  skip  fs/hv-*: skipped: hv has no block devices yet\n'
fi

echo "files: hako-mkfs"
mk=$TMP/mk
mkdir -p "$mk/out"
check mkfs/usage 2 -e '^usage: hako-mkfs \[--mtime SECONDS\] DIR IMAGE$' -- "$MKFS" tests/fs
check mkfs/bad-mtime 2 -e "^hako-mkfs: bad --mtime 'yesterday'" -- "$MKFS" --mtime yesterday tests/fs "$mk/x.img"
check mkfs/missing-dir 1 -e "^hako-mkfs: cannot open directory '/nonexistent': No such file or directory$" \
	-- "$MKFS" /nonexistent "$mk/x.img"
check mkfs/not-a-dir 1 -e "^hako-mkfs: 'tests/fs/hello.txt': not a directory$" \
	-- "$MKFS" tests/fs/hello.txt "$mk/x.img"
check mkfs/no-output-dir 1 -e "^hako-mkfs: cannot create '/nonexistent/x.img.tmp': No such file" \
	-- "$MKFS" tests/fs /nonexistent/x.img
# Reproducible: the same tree and mtime give the same bytes, from either front end.
"$MKFS" --mtime 1700000000 tests/fs "$mk/a.img" >"$TMP/out" 2>&1
check mkfs/reproducible 0 -- cmp "$fsimg" "$mk/a.img"
check mkfs/hako-mkfs-subcommand 0 -- bash -c '"$1" mkfs --mtime 1700000000 tests/fs "$2" && cmp "$2" "$3"' \
	_ "$HAKO" "$mk/b.img" "$fsimg"
# Symbolic links and special files are skipped, with a warning each.
mkdir -p "$mk/links/d"
echo hi >"$mk/links/d/f"
ln -sf d/f "$mk/links/link"
mkfifo "$mk/links/fifo" 2>/dev/null
check mkfs/skips-links-and-fifos 0 -e "^hako-mkfs: warning: skipping '.*/links/link': a symbolic link$" \
	-e "^hako-mkfs: warning: skipping '.*/links/fifo': not a regular file or directory$" \
	-- "$MKFS" "$mk/links" "$mk/links.img"
# A path over 4095 bytes cannot be opened in a container: refused.
(cd "$mk" && mkdir long && cd long && n=$(printf 'n%.0s' $(seq 200)) &&
	for i in $(seq 21); do mkdir "$n" && cd "$n" || break; done)
check mkfs/path-too-long 1 -e "^hako-mkfs: '.*': path too long \(at most 4095 bytes\)$" \
	-- "$MKFS" "$mk/long" "$mk/long.img"
check mkfs/no-image-on-error 0 -- test ! -e "$mk/long.img" -a ! -e "$mk/long.img.tmp"
# An unreadable file: as root, drop to nobody so permissions count.
mkdir -p "$mk/locked"
echo secret >"$mk/locked/secret"
chmod 000 "$mk/locked/secret"
as_user=()
if [ "$(id -u)" = 0 ]; then
	chmod 755 "$TMP" "$mk" "$mk/locked" && chmod 1777 "$mk/out"
	as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
fi
if [ "$(id -u)" = 0 ] && ! command -v setpriv >/dev/null; then
	printf '  skip  mkfs/unreadable-file: skipped: needs setpriv to run as a user\n'
else
	check mkfs/unreadable-file 1 -e "^hako-mkfs: cannot open '.*/locked/secret': Permission denied$" \
		-- "${as_user[@]}" "$MKFS" "$mk/locked" "$mk/out/locked.img"
fi
