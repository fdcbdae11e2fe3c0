//! Images: responsive variants, cache, alt text, and bad input that must never crash.

mod common;

use common::{Fixture, lesson, png};

/// A photo-like JPEG (gradients and texture), `w` × `h`.
fn jpeg(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x * 255 / w) as u8, (y * 255 / h) as u8, ((x * 7 + y * 13) % 256) as u8])
    });
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
        .encode_image(&img)
        .unwrap_or_else(|e| panic!("{e}"));
    out
}

/// Inserts an EXIF segment (orientation `o`, plus a GPS tag) right after the JPEG's SOI marker.
fn with_exif(jpeg: &[u8], o: u16) -> Vec<u8> {
    // Big-endian TIFF: header, IFD0 with Orientation (0x0112) and GPSInfo (0x8825) pointers.
    let mut tiff = vec![b'M', b'M', 0, 42, 0, 0, 0, 8, 0, 2];
    tiff.extend([0x01, 0x12, 0, 3, 0, 0, 0, 1]);
    tiff.extend(o.to_be_bytes());
    tiff.extend([0, 0]);
    tiff.extend([0x88, 0x25, 0, 4, 0, 0, 0, 1, 0, 0, 0, 0]);
    tiff.extend([0, 0, 0, 0]);
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend(tiff);
    let len = (app1.len() + 2) as u16;
    let mut out = jpeg[..2].to_vec();
    out.extend([0xFF, 0xE1]);
    out.extend(len.to_be_bytes());
    out.extend(app1);
    out.extend(&jpeg[2..]);
    out
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

/// A PNG whose header claims 20,000 × 20,000 pixels: a "decompression bomb".
fn bomb_png() -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = b"IHDR".to_vec();
    ihdr.extend(20_000u32.to_be_bytes());
    ihdr.extend(20_000u32.to_be_bytes());
    ihdr.extend([8, 2, 0, 0, 0]);
    out.extend(13u32.to_be_bytes());
    out.extend(&ihdr);
    out.extend(crc32(&ihdr).to_be_bytes());
    let idat = b"IDAT\x78\x9c\x03\x00\x00\x00\x00\x01";
    out.extend(((idat.len() - 4) as u32).to_be_bytes());
    out.extend(idat);
    out.extend(crc32(idat).to_be_bytes());
    out
}

fn bundle(f: &Fixture, body: &str) {
    f.write("content/an-toan/anh/index.md", &lesson("Ảnh", "Bài có ảnh.", body));
}

#[test]
fn raster_images_get_webp_and_fallback_sizes_with_dimensions() {
    let f = Fixture::new();
    f.write_bytes("content/an-toan/anh/rong.jpg", &jpeg(2000, 1500));
    f.write_bytes("content/an-toan/anh/so-do.png", &png(600, 400));
    bundle(&f, "![Một bức ảnh rộng](rong.jpg)\n\n![Sơ đồ nhỏ](so-do.png)\n");
    f.build().unwrap_or_else(|e| panic!("{e:?}"));
    let html = f.read_output("an-toan/anh/index.html");
    for file in [
        "rong-jpg-480.webp",
        "rong-jpg-800.webp",
        "rong-jpg-1200.webp",
        "rong-jpg-1200.jpg",
        "so-do-png-480.png",
        "so-do-png-600.webp",
    ] {
        assert!(f.path().join("public/an-toan/anh").join(file).is_file(), "{file}");
        assert!(html.contains(&format!("/an-toan/anh/{file}")), "{file} not referenced");
    }
    assert!(!f.path().join("public/an-toan/anh/so-do-png-800.png").exists(), "never enlarged");
    assert!(
        !f.path().join("public/an-toan/anh/rong.jpg").exists(),
        "the original (with its metadata) is not published"
    );
    assert!(html.contains("<source type=\"image/webp\" srcset=\"/an-toan/anh/rong-jpg-480.webp 480w, /an-toan/anh/rong-jpg-800.webp 800w, /an-toan/anh/rong-jpg-1200.webp 1200w\""), "{html}");
    assert!(
        html.contains("width=\"1200\" height=\"900\" alt=\"Một bức ảnh rộng\"></picture>"),
        "first image is not lazy: {html}"
    );
    assert!(
        html.contains("width=\"600\" height=\"400\" alt=\"Sơ đồ nhỏ\" loading=\"lazy\" decoding=\"async\">"),
        "{html}"
    );
    assert!(
        html.contains("<a class=\"image-full\" href=\"/an-toan/anh/rong-jpg-1200.jpg\">Xem ảnh lớn"),
        "{html}"
    );
    // The print pack uses the same absolute addresses.
    assert!(f.read_output("to-roi/an-toan/index.html").contains("/an-toan/anh/rong-jpg-800.jpg"));
}

#[test]
fn exif_orientation_is_applied_and_metadata_stripped() {
    let f = Fixture::new();
    // Stored landscape 800 × 400, to be shown rotated 90° (orientation 6): portrait 400 × 800.
    f.write_bytes("content/an-toan/anh/xoay.jpg", &with_exif(&jpeg(800, 400), 6));
    bundle(&f, "![Ảnh chụp bằng điện thoại cầm dọc](xoay.jpg)\n");
    f.build().unwrap_or_else(|e| panic!("{e:?}"));
    let html = f.read_output("an-toan/anh/index.html");
    assert!(html.contains("width=\"400\" height=\"800\""), "{html}");
    assert!(html.contains("class=\"portrait\""), "tall images are kept at phone size");
    let out = std::fs::read(f.path().join("public/an-toan/anh/xoay-jpg-400.jpg")).unwrap_or_default();
    let decoded = image::load_from_memory(&out).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((decoded.width(), decoded.height()), (400, 800));
    assert!(!out.windows(4).any(|w| w == b"Exif"), "EXIF (and its GPS tag) must not be published");
}

#[test]
fn an_unchanged_rebuild_decodes_nothing_and_a_changed_image_only_itself() {
    let f = Fixture::new();
    f.write_bytes("content/an-toan/anh/a.jpg", &jpeg(1000, 700));
    f.write_bytes("content/an-toan/anh/b.png", &png(500, 300));
    bundle(&f, "![A](a.jpg)\n\n![B](b.png)\n");
    let cold = f.build().unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(cold.images_decoded, 2);
    assert!(cold.images_encoded >= 6, "{}", cold.images_encoded);
    let warm = f.build().unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!((warm.images_decoded, warm.images_encoded, warm.images_reused), (0, 0, 2));
    f.write_bytes("content/an-toan/anh/b.png", &png(520, 300));
    let changed = f.build().unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!((changed.images_decoded, changed.images_reused), (1, 1));
    // The old entry of b.png is pruned: two entries left.
    let entries = std::fs::read_dir(f.path().join(".hocso-cache/img")).map(|d| d.count()).unwrap_or(0);
    assert_eq!(entries, 2);
    assert!(f.read_output("an-toan/anh/index.html").contains("width=\"520\""));
}

#[test]
fn bad_images_are_clear_errors_with_file_and_line() {
    let f = Fixture::new();
    f.write_bytes("content/an-toan/anh/hong.png", b"not really a png at all");
    let mut truncated = png(300, 300);
    truncated.truncate(120);
    f.write_bytes("content/an-toan/anh/cut.png", &truncated);
    f.write("content/an-toan/anh/chu.jpg", "Đây là chữ, không phải ảnh.");
    f.write_bytes("content/an-toan/anh/bom.png", &bomb_png());
    bundle(
        &f,
        "![Hỏng](hong.png)\n\n![Cụt](cut.png)\n\n![Chữ](chu.jpg)\n\n![Bom](bom.png)\n\n![Thiếu](khong-co.png)\n\n![](khong-mo-ta.png)\n\n![Ngoài](https://example.com/a.png)\n",
    );
    f.write_bytes("content/an-toan/anh/khong-mo-ta.png", &png(10, 10));
    let errors = f.build_errors();
    let has = |needle: &str| errors.iter().any(|e| e.contains(needle));
    assert!(has("anh/index.md:5:1: Cannot read image: hong.png"), "{errors:#?}");
    assert!(has("anh/index.md:7:1: Cannot read image: cut.png"), "{errors:#?}");
    assert!(has("anh/index.md:9:1: Cannot read image: chu.jpg"), "{errors:#?}");
    assert!(has("anh/index.md:11:1: Image bom.png is too large (20000 × 20000 pixels)"), "{errors:#?}");
    assert!(has("anh/index.md:13:1: Image not found: khong-co.png"), "{errors:#?}");
    assert!(has("anh/index.md:15:1: Image without alt text: khong-mo-ta.png"), "{errors:#?}");
    assert!(has("anh/index.md:17:1: Image from another site: https://example.com/a.png"), "{errors:#?}");
}

#[test]
fn decorative_images_and_long_alt_text() {
    let f = Fixture::new();
    f.write_bytes("content/an-toan/anh/hoa-van.png", &png(200, 50));
    f.write_bytes("content/an-toan/anh/dai.png", &png(200, 50));
    let long = "Mô tả ".repeat(30);
    bundle(&f, &format!("![](hoa-van.png \"trang trí\")\n\n![{long}](dai.png)\n"));
    let report = f.build().unwrap_or_else(|e| panic!("{e:?}"));
    let html = f.read_output("an-toan/anh/index.html");
    assert!(html.contains("alt=\"\""), "decorative image has empty alt");
    let warnings: Vec<String> =
        report.warnings.iter().map(|d| d.render(hocso::core::lang::Lang::En)).collect();
    assert!(
        warnings.iter().any(|w| w.contains("anh/index.md:7:1: The alt text is 179 characters long")),
        "{warnings:#?}"
    );
}

#[test]
fn svg_passes_through_without_scripts() {
    let f = Fixture::new();
    f.write(
        "content/an-toan/anh/hinh.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 100 50\" onload=\"x()\"><script>alert(1)</script><rect width=\"10\" height=\"10\"/></svg>",
    );
    bundle(&f, "![Hình vẽ](hinh.svg)\n");
    f.build().unwrap_or_else(|e| panic!("{e:?}"));
    let svg = std::fs::read_to_string(f.path().join("public/an-toan/anh/hinh-svg.svg")).unwrap_or_default();
    assert!(svg.contains("<rect") && !svg.contains("script") && !svg.contains("onload"), "{svg}");
    assert!(f.read_output("an-toan/anh/index.html").contains("width=\"100\" height=\"50\""));
}
