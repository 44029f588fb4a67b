import Testing
@testable import InitiumCore

/// Known-answer vectors published with Random123 (Salmon et al. 2011), `kat_vectors`.
@Test func philoxMatchesRandom123KnownAnswers() {
    let zero = Philox4x32.block(counter: (0, 0, 0, 0), key: (0, 0))
    #expect([zero.0, zero.1, zero.2, zero.3] == [0x6627_E8D5, 0xE169_C58D, 0xBC57_AC4C, 0x9B00_DBD8])
    let ones = Philox4x32.block(counter: (.max, .max, .max, .max), key: (.max, .max))
    #expect([ones.0, ones.1, ones.2, ones.3] == [0x408F_276D, 0x41C8_3B0E, 0xA20B_C7C6, 0x6D54_51FD])
    let pi = Philox4x32.block(
        counter: (0x243F_6A88, 0x85A3_08D3, 0x1319_8A2E, 0x0370_7344), key: (0xA409_3822, 0x299F_31D0))
    #expect([pi.0, pi.1, pi.2, pi.3] == [0xD16C_FE09, 0x94FD_CCEB, 0x5001_E420, 0x2412_6EA1])
}

@Test func simdPhiloxAgreesWithScalarPhilox() {
    let key: (UInt32, UInt32) = (0x1234_5678, 0x9ABC_DEF0)
    let lanes = SIMD8<UInt32>(0, 1, 2, 3, 4, 5, 6, 7) &+ 1000
    let (w0, w1, w2, w3) = Philox4x32.blocks8(low: lanes, high: 3, stream: 5, key: key)
    for l in 0..<8 {
        let s = Philox4x32.block(counter: (lanes[l], 3, 5, 0), key: key)
        #expect([w0[l], w1[l], w2[l], w3[l]] == [s.0, s.1, s.2, s.3])
    }
}

@Test func keyDerivationsDifferAndAreStable() {
    let key = RandomKey(seed: 42)
    #expect(key == RandomKey(seed: 42))
    #expect(key != RandomKey(seed: 43))
    #expect(key.fold("layers.0.weight") == key.fold("layers.0.weight"))
    #expect(key.fold("layers.0.weight") != key.fold("layers.1.weight"))
    #expect(key.fold(1) != key.fold(2))
    let split = key.split(4)
    #expect(Set(split).count == 4)
}
