// Runs after archetype:generate has written the project.
def project = new File(request.outputDirectory, request.artifactId)
def props = request.properties

// Batch mode (-B) does not apply archetype-metadata.xml's validation patterns: check here, in words.
def problems = []
if (!(props.policyName ==~ /[a-z][a-z0-9-]*/)) {
    problems << "policyName '${props.policyName}' must be lower-case letters, digits or '-', starting with a letter, as kd:allocators names an implementation (e.g. -DpolicyName=guarded)"
}
if (!(props.className ==~ /[A-Z][A-Za-z0-9_]*/)) {
    problems << "className '${props.className}' must be a Java class name starting with a capital letter (e.g. -DclassName=GuardedPolicy)"
}
if (problems) {
    project.deleteDir()
    throw new IllegalArgumentException("Ringzero allocator archetype: " + problems.join("; ") + ". Nothing was generated.")
}

// The archetype plugin does not keep file modes: make the wrapper executable again, so that ./mvnw works.
def mvnw = new File(project, "mvnw")
if (mvnw.isFile()) {
    mvnw.setExecutable(true, false)
}
