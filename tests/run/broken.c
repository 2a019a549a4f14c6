/* Does not compile: racelab must say so and exit 2. */
int main(void)
{
	return undefined_name;
}
