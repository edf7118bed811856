# SPDX-License-Identifier: ISC
# Tests of the writable file system (wfs volumes, hako mkfs --writable, hako fsck); sourced by tests/run.
wimg=$TMP/wfs.img

echo "files: writable volumes"
check wfs/mkfs-usage 2 -e '^usage: hako mkfs --writable \[--size SIZE\]' -- "$HAKO" mkfs --writable
check wfs/mkfs-bad-size 2 -e "^hako mkfs: bad option '--size 1'" -- "$HAKO" mkfs --writable --size 1 "$wimg"
check wfs/mkfs-too-small 1 -e "^hako mkfs: '.*': No space left on device" \
	-- "$HAKO" mkfs --writable --size 16K tests/fs "$TMP/small.img"
check wfs/mkfs-no-image-on-error 0 -- test ! -e "$TMP/small.img" -a ! -e "$TMP/small.img.tmp"
check wfs/mkfs-empty 0 -- "$HAKO" mkfs --writable --size 8M "$wimg"
check wfs/fsck-empty 0 -e '^.*wfs.img: clean, generation 1, 1 directories, 0 files, 0 bytes$' -- "$HAKO" fsck "$wimg"
check wfs/fsck-usage 2 -e '^usage: hako fsck \[--cat PATH\] IMAGE$' -- "$HAKO" fsck
check wfs/fsck-not-a-volume 1 -e "refused: not a wfs superblock \(bad magic\)$" -- "$HAKO" fsck "$T/fs.img"

# Pre-filled, read-only: the read-only image's whole test passes on a wfs volume too.
"$HAKO" mkfs --writable --size 4M --mtime 1700000000 tests/fs "$TMP/pre.img" >"$TMP/out" 2>&1
check wfs/fsck-prefilled 0 -e 'clean, generation 2, 3 directories, 4 files, 9069 bytes$' -- "$HAKO" fsck "$TMP/pre.img"
check wfs/prefilled-cat 0 -e '^hello from the hako file system$' -- "$HAKO" fsck --cat /hello.txt "$TMP/pre.img"

for plat in proc hv; do
	run=("$HAKO" run --platform "$plat")
	"$HAKO" mkfs --writable --size 8M "$wimg" >"$TMP/out" 2>&1
	check "wfs/$plat-prefilled-read" 0 "${fs_read_ok[@]}" -- "${run[@]}" -v "$TMP/pre.img:ro" "$T/fs_read.elf"
	check "wfs/$plat-write" 0 -e '^fs_write: fs_write write ok$' -n FAILED -- "${run[@]}" -v "$wimg" "$T/fs_write.elf" write
	check "wfs/$plat-fsck-after-write" 0 -e 'clean, generation [0-9]+, 2 directories, 4 files, 308205 bytes$' \
		-- "$HAKO" fsck "$wimg"
	# A new container on the same volume: everything is there (and rmdir works on it).
	check "wfs/$plat-persists" 0 -e '^fs_write: fs_write check ok$' -n FAILED -- "${run[@]}" -v "$wimg" "$T/fs_write.elf" check
	check "wfs/$plat-read-only" 0 -e '^fs_write: fs_write ro ok$' -n FAILED -- "${run[@]}" -v "$wimg:ro" "$T/fs_write.elf" ro
	# A corrupt volume: refused with one line, the container runs without files.
	cp "$wimg" "$TMP/bad.img"
	printf 'XXXX' | dd of="$TMP/bad.img" bs=1 seek=16 conv=notrunc status=none   # slot 0's generation
	printf 'XXXX' | dd of="$TMP/bad.img" bs=1 seek=528 conv=notrunc status=none  # slot 1's
	check "wfs/$plat-corrupt-refused" 0 -e '^fs_read: fs_read none ok$' -n FAILED \
		-e 'hako-libos: block device: wfs volume refused: superblock checksum mismatch$' \
		-- "${run[@]}" -v "$TMP/bad.img" "$T/fs_read.elf" none
done
check wfs/fsck-corrupt 1 -e 'refused: superblock checksum mismatch$' -- "$HAKO" fsck "$TMP/bad.img"

# The crash test, bounded for the suite (`make crash` runs hundreds of kills).
TIMEOUT=120 check wfs/proc-crash 0 -e '^crash: 40 kills on proc .* none lost' -- tests/fs_crash.sh proc 40
TIMEOUT=120 check wfs/hv-crash 0 -e '^crash: 10 kills on hv .* none lost' -- tests/fs_crash.sh hv 10
