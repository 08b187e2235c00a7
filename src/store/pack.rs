//! How a page's JSON is kept on disk: compressed with LZ4 behind a one-byte tag, so
//! that an item costs about its JSON size on disk rather than several times it.
//! Values written before (plain JSON, which never starts with the tag) read as they
//! are, so an older database opens unchanged and is packed page by page as pages are
//! rewritten.

/// The first byte of a packed value; JSON text never starts with it.
const TAG: u8 = 0x01;

/// The most a packed value may unpack to: a page holds at most a few records, so a
/// larger claimed size is damage, not data (and is not allocated).
const MAX_UNPACKED: usize = 64 << 20;

/// `json` packed: the tag, its length (4 bytes, little-endian), its LZ4 block.
pub fn pack(json: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(5 + lz4_flex::block::get_maximum_output_size(json.len()));
    out.push(TAG);
    out.extend_from_slice(&(json.len() as u32).to_le_bytes());
    let start = out.len();
    out.resize(start + lz4_flex::block::get_maximum_output_size(json.len()), 0);
    // The buffer is as large as the block can be, so compression cannot run out of room.
    let n = lz4_flex::block::compress_into(json, &mut out[start..]).unwrap_or(0);
    out.truncate(start + n);
    out
}

/// The JSON of a stored value, packed or not; the error says what is wrong with it.
pub fn unpack(v: &[u8]) -> Result<std::borrow::Cow<'_, [u8]>, String> {
    let Some((&TAG, rest)) = v.split_first() else { return Ok(std::borrow::Cow::Borrowed(v)) };
    let (len, block) = rest.split_at_checked(4).ok_or("a packed value cut short before its length")?;
    let len = u32::from_le_bytes([len[0], len[1], len[2], len[3]]) as usize;
    if len > MAX_UNPACKED {
        return Err(format!("a packed value claims {len} bytes, more than a page can hold"));
    }
    let json = lz4_flex::block::decompress(block, len).map_err(|e| format!("a packed value is damaged: {e}"))?;
    if json.len() != len {
        return Err(format!("a packed value cut short: {} of its {len} bytes", json.len()));
    }
    Ok(std::borrow::Cow::Owned(json))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_packs_smaller_and_unpacks_to_the_same_json() {
        let page: Vec<String> =
            (0..16).map(|i| format!("{{\"id\":\"A.{i}\",\"title\":\"沅陵县第{i}号小区噪音扰民\"}}")).collect();
        let json = serde_json::to_vec(&page).unwrap();
        let packed = pack(&json);
        assert!(packed.len() * 2 < json.len(), "{} packed from {}", packed.len(), json.len());
        assert_eq!(unpack(&packed).unwrap().as_ref(), json.as_slice());
    }

    #[test]
    fn plain_json_reads_as_it_is() {
        assert!(matches!(unpack(b"[1,2]").unwrap(), std::borrow::Cow::Borrowed(b"[1,2]")));
        assert_eq!(unpack(b"").unwrap().as_ref(), b"");
    }

    #[test]
    fn a_damaged_value_is_an_error_not_a_panic_or_a_huge_allocation() {
        let packed = pack(br#"["one page of records, long enough to compress: records records records"]"#);
        for cut in 1..packed.len() {
            if let Ok(json) = unpack(&packed[..cut]) {
                panic!("a value cut at {cut} of {} unpacked to {json:?}", packed.len());
            }
        }
        let mut huge = vec![TAG];
        huge.extend_from_slice(&u32::MAX.to_le_bytes());
        assert!(unpack(&huge).unwrap_err().contains("more than a page can hold"));
    }
}
