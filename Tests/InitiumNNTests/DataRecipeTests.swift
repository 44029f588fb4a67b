import InitiumCore
import Testing
@testable import InitiumNN

/// What a model is built for is known from the spec alone, and is what loading gives.
@Test(arguments: ["blobs(n=40,classes=5,dim=7)", "spirals(n=30,classes=3)", "teacher(n=20,dim=6,classes=4,width=8)", "blobs"])
func signatureWithoutLoadingMatchesTheLoadedData(spec: String) throws {
    let recipe = DataRecipe(try DatasetSpec(spec))
    let (train, test) = try recipe.load(key: RandomKey(seed: 3))
    #expect(try recipe.signature() == train.signature)
    #expect(test.signature == train.signature)
}

@Test func fashionMNISTSignatureIsItsImageShape() throws {
    #expect(try DatasetSpec.fashionMNIST.signature() == DataSignature(exampleShape: [1, 28, 28], classCount: 10))
    #expect(throws: InitiumError.self) { try DatasetSpec("blobs(classes=1)").signature() }
}

/// The recipe is the documented steps, with the documented key: the synthetic draw from
/// `key.fold("dataset")`, then the limit, then standardization with the limited training set's
/// constants (applied to both splits), then the training set's per-feature means subtracted from both.
@Test func recipeAppliesLimitStandardizationAndCentringInOrder() throws {
    let spec = try DatasetSpec("blobs(n=200,classes=3,dim=4,spread=2)")
    let key = RandomKey(seed: 9)
    let recipe = DataRecipe(spec, trainLimit: 50, standardizesInputs: true, centersFeatures: true)
    let (train, test) = try recipe.load(key: key)

    var (expectedTrain, expectedTest) = try spec.load(directory: nil, key: key.fold("dataset"))
    expectedTrain = try expectedTrain.prefix(50)
    let s = expectedTrain.standardization
    expectedTrain.standardize(mean: s.mean, std: s.std)
    expectedTest.standardize(mean: s.mean, std: s.std)
    let means = expectedTrain.featureMeans
    try expectedTrain.subtractFeatureMeans(means)
    try expectedTest.subtractFeatureMeans(means)

    #expect(train.count == 50 && test.count == 40)
    #expect(train.inputs == expectedTrain.inputs && train.labels == expectedTrain.labels)
    #expect(test.inputs == expectedTest.inputs && test.labels == expectedTest.labels)
    // centred: every feature's training mean is 0 up to Float rounding of O(1) values
    #expect(train.featureMeans.scalars.allSatisfy { abs($0) < 1e-5 })
}

@Test func recipeWithoutOptionsIsTheSpecsData() throws {
    let spec = try DatasetSpec("spirals(n=60)")
    let (train, test) = try DataRecipe(spec).load(key: RandomKey(seed: 2))
    let raw = try spec.load(directory: nil, key: RandomKey(seed: 2).fold("dataset"))
    #expect(train.inputs == raw.train.inputs && test.inputs == raw.test.inputs)
}

@Test(arguments: [0, -3])
func nonPositiveTrainingLimitsAreUserErrors(limit: Int) throws {
    let recipe = DataRecipe(try DatasetSpec("blobs(n=20)"), trainLimit: limit)
    #expect(throws: InitiumError.self) { try recipe.load(key: RandomKey(seed: 1)) }
}
