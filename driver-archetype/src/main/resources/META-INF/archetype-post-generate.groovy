// Runs after archetype:generate has written the project.
def project = new File(request.outputDirectory, request.artifactId)
def props = request.properties

// Batch mode (-B) does not apply archetype-metadata.xml's validation patterns: check here, in words.
def problems = []
if (!(props.poolTag ==~ /[A-Za-z0-9]{4}/)) {
    problems << "poolTag '${props.poolTag}' must be four letters or digits, as !poolused shows a tag (e.g. -DpoolTag=Hlo1)"
}
if (!(props.driverName ==~ /[A-Z][A-Za-z0-9_]*/)) {
    problems << "driverName '${props.driverName}' must be a Java class name starting with a capital letter (e.g. -DdriverName=HelloDriver)"
}
if (problems) {
    project.deleteDir()
    throw new IllegalArgumentException("Ringzero driver archetype: " + problems.join("; ") + ". Nothing was generated.")
}

// The archetype plugin does not keep file modes: make the wrapper executable again, so that ./mvnw works.
def mvnw = new File(project, "mvnw")
if (mvnw.isFile()) {
    mvnw.setExecutable(true, false)
}
